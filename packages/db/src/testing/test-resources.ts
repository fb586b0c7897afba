/**
 * Test resources (databases, apps, servers, brokers) that are closed even when the setup that opened them timed out.
 *
 * The failure this prevents: a `beforeEach` awaits `createTestDatabase()` on a loaded machine and exceeds jest's
 * timeout. Jest fails the test and runs `afterEach` — which closes nothing, because the variable is still unset —
 * while the setup keeps running; a moment later the database opens and nobody ever closes it, so the jest process
 * never exits ("Jest did not exit one second after the test run has completed") and CI hangs instead of failing.
 *
 * Here every resource is registered with the setup run that created it, and that run is torn down as a unit:
 *
 * ```ts
 * const resources = testResources();          // closes in afterEach; testResources('all') for beforeAll
 * beforeEach(() =>
 *   resources.setup(async (track) => {
 *     db = await track(createTestDatabase(engine));
 *     app = await track(buildApp({ db }));       // closed first: reverse order of creation
 *   }),
 * );
 * ```
 *
 * The after-hook closes what each run has tracked so far and marks the run torn down. A resource that arrives after
 * that — its setup outlived the timeout — is closed the moment it arrives, and `track` throws so the late setup stops
 * instead of opening more.
 */

export interface Closeable {
  close(): unknown;
}

/** Registers `resource` (or what `resource` resolves to) with its setup run; resolves with it. */
export type Track = {
  <R extends Closeable>(resource: R | Promise<R>): Promise<R>;
  <R>(resource: R | Promise<R>, close: (resource: R) => unknown): Promise<R>;
};

export interface TestResources {
  /** Runs one setup; whatever it tracks is closed by the after-hook (or at once, if it arrives after that). */
  setup<T>(work: (track: Track) => Promise<T>): Promise<T>;
  /** Closes every run's resources, last created first. The after-hook calls this; call it yourself without hooks. */
  closeAll(): Promise<void>;
}

/** Thrown by `track` when its setup run was torn down before the resource arrived. */
export class SetupOutlivedTeardownError extends Error {
  override readonly name = 'SetupOutlivedTeardownError';
  constructor() {
    super('a resource arrived after its setup had been torn down (the setup timed out?); it was closed at once');
  }
}

interface SetupRun {
  tornDown: boolean;
  closers: (() => Promise<void>)[];
}

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;
interface JestHooks {
  afterEach: Hook;
  afterAll: Hook;
}

const closeWith = async <R>(resource: R, close?: (resource: R) => unknown): Promise<void> => {
  await (close ? close(resource) : (resource as Closeable).close());
};

/**
 * `scope` says which jest hook tears the runs down: `'each'` (afterEach, for beforeEach setups) or `'all'`
 * (afterAll, for beforeAll). `'none'` registers no hook (call `closeAll()` yourself).
 */
export function testResources(scope: 'each' | 'all' | 'none' = 'each', teardownTimeoutMs = 30_000): TestResources {
  const runs = new Set<SetupRun>();

  async function closeAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const run of [...runs].reverse()) {
      run.tornDown = true;
      runs.delete(run);
      for (const close of run.closers.splice(0).reverse())
        await close().catch((error: unknown) => failures.push(error));
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} test resources failed to close`);
  }

  function trackerFor(run: SetupRun): Track {
    return (async <R>(resource: R | Promise<R>, close?: (resource: R) => unknown): Promise<R> => {
      const value = await resource;
      if (run.tornDown) {
        await closeWith(value, close).catch(() => undefined);
        throw new SetupOutlivedTeardownError();
      }
      run.closers.push(() => closeWith(value, close));
      return value;
    }) as Track;
  }

  const hooks = globalThis as unknown as Partial<JestHooks>;
  if (scope === 'each') hooks.afterEach!(closeAll, teardownTimeoutMs);
  if (scope === 'all') hooks.afterAll!(closeAll, teardownTimeoutMs);

  return {
    async setup(work) {
      const run: SetupRun = { tornDown: false, closers: [] };
      runs.add(run);
      return work(trackerFor(run));
    },
    closeAll,
  };
}
