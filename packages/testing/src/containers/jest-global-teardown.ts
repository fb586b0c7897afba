/** Jest global teardown of the container environment: stops what the global setup started, whatever the outcome. */
import { runningContainers } from './jest-global-setup';
import type { TestContainers } from './test-containers';

export default async function tearDownTestContainers(): Promise<void> {
  await (globalThis as Record<symbol, TestContainers | undefined>)[runningContainers]?.stop();
}
