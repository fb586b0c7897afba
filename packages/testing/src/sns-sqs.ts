/**
 * "An SNS/SQS endpoint" for a test file: the LocalStack container of the run when the container environment started
 * one (TEST_SNS_SQS_ENDPOINT), otherwise an in-process @shop/local-aws on a free port. Either way the test talks to
 * it with the real AWS SDK; names must be unique per test, since a container is shared by the whole run.
 */
import { startLocalAws } from '@shop/local-aws';

export interface TestSnsSqs {
  readonly endpoint: string;
  readonly provider: 'localstack' | 'local-aws';
  /** Stops an in-process endpoint; the shared container is left to the global teardown. */
  close(): Promise<void>;
}

export async function startTestSnsSqs(): Promise<TestSnsSqs> {
  const shared = process.env.TEST_SNS_SQS_ENDPOINT;
  if (shared) return { endpoint: shared, provider: 'localstack', close: async () => undefined };
  const localAws = await startLocalAws({ port: 0, host: '127.0.0.1' });
  return { endpoint: localAws.endpoint, provider: 'local-aws', close: () => localAws.close() };
}
