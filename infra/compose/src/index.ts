// @shop/infra-compose: reads docker-compose.yml and the services' config schemas so tests can hold them together.
export {
  interpolate,
  loadComposeFile,
  serviceEnvironment,
  workspaceServiceOf,
  type ComposeFile,
  type ComposeService,
} from './compose-file';
export {
  loadServiceConfigSchema,
  requiredVariables,
  VARIABLES_READ_OUTSIDE_CONFIG,
  type ConfigSchema,
} from './service-config';
export {
  dockerEngineAnswers,
  findComposeCommand,
  runCompose,
  validateComposeFiles,
  type ComposeProject,
  type ComposeResult,
} from './compose-cli';
