/**
 * The container environment: a Postgres, a Redis and an SNS/SQS endpoint (LocalStack) as real containers, started
 * once per jest run by the global setup (`jest.containers.js` at the repository root) and handed to the suites
 * through the variables a developer would set by hand. Suites never start containers themselves; they ask for
 * "a Postgres" (`testEngines()` / `createTestDatabase`), "a Redis" (`REDIS_URL`) or "an SNS/SQS endpoint"
 * (`startTestSnsSqs()`) and get the embedded stand-in when no container was started.
 */
import { LocalstackContainer } from '@testcontainers/localstack';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { getContainerRuntimeClient, ImageName, Wait, type StartedTestContainer } from 'testcontainers';
import { LOCALSTACK_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE } from './images';

/** What a package's suites can ask for. */
export type ContainerNeed = 'postgres' | 'redis' | 'sns-sqs';

/** The variables the suites read; each is set only when its container runs. */
export const CONTAINER_VARIABLES = {
  postgres: 'TEST_DATABASE_URL',
  redis: 'REDIS_URL',
  'sns-sqs': 'TEST_SNS_SQS_ENDPOINT',
} as const satisfies Record<ContainerNeed, string>;

export interface TestContainers {
  /** Variable → value, for `process.env` of the suites. */
  readonly env: Readonly<Record<string, string>>;
  /** One line per need that is not served by a container, saying why and what runs instead. */
  readonly notes: readonly string[];
  stop(): Promise<void>;
}

/** A slow pull or a stuck start fails the run instead of hanging it. */
const STARTUP_TIMEOUT_MS = 180_000;

/**
 * The image logs "ready to accept connections" twice on first start: once for the temporary server that runs the
 * init scripts, once for the real one, which is the server the tests get. That line, not a health check, is what
 * the start waits for: each health check is a `docker exec`, which on a loaded machine can take longer than the
 * module's 1 s check timeout again and again, so the container never counts as healthy.
 */
const POSTGRES_READY = Wait.forAll([
  Wait.forLogMessage(/database system is ready to accept connections/, 2),
  Wait.forListeningPorts(),
]);
/** Kept for `docker ps` and compose-style tooling, at a pace a busy machine can afford. */
const POSTGRES_HEALTH_CHECK: Parameters<PostgreSqlContainer['withHealthCheck']>[0] = {
  test: ['CMD-SHELL', 'pg_isready --host localhost --username "$POSTGRES_USER"'],
  interval: 2_000,
  timeout: 10_000,
  retries: 60,
};

/** A Postgres container of the image compose runs, waiting for the real server (for tests that need their own). */
export function postgresContainer(): PostgreSqlContainer {
  return (
    new PostgreSqlContainer(POSTGRES_IMAGE)
      // A test server keeps nothing: data in memory and no fsync, or every CREATE DATABASE (one per test) waits for
      // a checkpoint on the disk that every other job on the machine is using too.
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
      .withHealthCheck(POSTGRES_HEALTH_CHECK)
      .withWaitStrategy(POSTGRES_READY)
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
  );
}

/**
 * Starts one container per need. If any start fails, the ones already running are stopped before the error is
 * rethrown: without testcontainers' reaper (TESTCONTAINERS_RYUK_DISABLED=true), nothing else would remove them.
 */
export async function startTestContainers(needs: readonly ContainerNeed[]): Promise<TestContainers> {
  const started: StartedTestContainer[] = [];
  const env: Record<string, string> = {};
  const notes: string[] = [];
  const stop = async () => {
    await Promise.allSettled(started.splice(0).map((container) => container.stop({ timeout: 5_000 })));
  };
  try {
    for (const need of new Set(needs)) {
      if (need === 'postgres') {
        const postgres = await postgresContainer().start();
        started.push(postgres);
        env[CONTAINER_VARIABLES.postgres] = postgres.getConnectionUri();
      } else if (need === 'redis') {
        const redis = await new RedisContainer(REDIS_IMAGE).withStartupTimeout(STARTUP_TIMEOUT_MS).start();
        started.push(redis);
        env[CONTAINER_VARIABLES.redis] = redis.getConnectionUrl();
      } else if (await localImageExists(LOCALSTACK_IMAGE)) {
        const localstack = await new LocalstackContainer(LOCALSTACK_IMAGE)
          .withEnvironment({ SERVICES: 'sns,sqs', LOCALSTACK_AUTH_TOKEN: process.env.LOCALSTACK_AUTH_TOKEN ?? '' })
          .withStartupTimeout(STARTUP_TIMEOUT_MS)
          .start();
        started.push(localstack);
        env[CONTAINER_VARIABLES['sns-sqs']] = localstack.getConnectionUri();
      } else {
        notes.push(
          `LocalStack skipped: ${LOCALSTACK_IMAGE} is not on this machine (\`docker pull ${LOCALSTACK_IMAGE}\` to use it); ` +
            'the SNS/SQS suites run on the in-process @shop/local-aws',
        );
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, notes, stop };
}

/**
 * LocalStack is used only when its image is already here: it is large, and on a machine without a registry a pull
 * attempt would only fail slowly. The CI workflow pulls it first.
 */
async function localImageExists(image: string): Promise<boolean> {
  const client = await getContainerRuntimeClient();
  return client.image.exists(ImageName.fromString(image));
}
