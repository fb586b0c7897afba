// What other tools reuse from the demo (e.g. @shop/reliability's chaos run). Import it as `@shop/demo/dist/index`:
// the package's main is the CLI, which starts the system as soon as it is loaded.
export {
  PORTS,
  DATABASE_SERVICES,
  startSystem,
  parseStartupTimeoutMs,
  StartupError,
  type DatabaseEngine,
  type RunningSystem,
  type ServiceName,
  type SystemOptions,
} from './system';
export { freePorts } from './free-ports';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
// The customer's side of the shop through any gateway, e.g. the compose system test's crash drill.
export { DEMO_SETTINGS, localServiceSettings } from './demo-settings';
export { GatewayClient } from './gateway-client';
export { Narrator } from './narrator';
export { followOrder, getOrder, newCustomer, placeOrder, type Customer, type OrderView } from './shop-actions';
// The narrated scenarios, for the learner's console (apps/console) to list and run.
export { scenarios } from './scenarios';
export type { Scenario, ScenarioContext } from './scenario';
export { runScenarios, type ScenarioOutcome } from './run-scenarios';
export {
  startConsole,
  type ConsoleProcess,
  type ConsoleRequest,
  type DemoReply,
  type StartConsoleOptions,
} from './console-process';
