// What other tools reuse from the demo (e.g. @shop/reliability's chaos run). Import it as `@shop/demo/dist/index`:
// the package's main is the CLI, which starts the system as soon as it is loaded.
export { PORTS, startSystem, StartupError, type RunningSystem, type ServiceName, type SystemOptions } from './system';
export { ServiceProcess, type ServiceDefinition } from './service-process';
