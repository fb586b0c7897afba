// What tests and other tools use from the console's server (the process itself is main.ts).
export { buildConsoleApp, type ConsoleAppDeps } from './app';
export { ConsoleConfig } from './config';
export { inProcessScenarioRunner, demoProcessScenarioRunner, type ScenarioRunner } from './scenario-runner';
export type * from '../shared/console-api';
