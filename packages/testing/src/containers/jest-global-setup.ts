/**
 * Jest global setup of the container environment (wired by `jest.containers.js` at the repository root when
 * TEST_CONTAINERS=1): starts the containers the package's jest config asks for, once for the whole run, before any
 * worker starts, so every test file sees their URLs in `process.env`.
 */
import { startTestContainers, type ContainerNeed, type TestContainers } from './test-containers';

/** Read by the global teardown, which runs in this same process. */
export const runningContainers = Symbol.for('@shop/testing/running-containers');

/** The part of jest's project config this reads: `globals.testContainers`, set by `jest.containers.js`. */
interface ProjectConfig {
  readonly globals?: { readonly testContainers?: readonly ContainerNeed[] };
}

export default async function setUpTestContainers(_global: unknown, project: ProjectConfig): Promise<void> {
  const needs = project.globals?.testContainers ?? [];
  const startedAt = Date.now();
  const containers = await startTestContainers(needs);
  (globalThis as Record<symbol, TestContainers>)[runningContainers] = containers;
  // A run stopped from outside (Ctrl+C, or turbo ending the other tasks when one fails) never reaches the global
  // teardown: stop the containers on the way out, since no reaper would.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void containers.stop().finally(() => process.exit(130)));
  }
  Object.assign(process.env, containers.env);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(`\ncontainers for ${needs.join(', ')} ready in ${seconds} s\n`);
  for (const note of containers.notes) process.stdout.write(`${note}\n`);
}
