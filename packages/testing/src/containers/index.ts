// `@shop/testing/containers`: the container environment itself, kept out of the main entry point so that a test
// file asking only for a token or a database does not load testcontainers.
export {
  CONTAINER_VARIABLES,
  postgresContainer,
  startTestContainers,
  type ContainerNeed,
  type TestContainers,
} from './test-containers';
export { LOCALSTACK_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE } from './images';
