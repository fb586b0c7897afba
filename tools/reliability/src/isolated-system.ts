/**
 * The demo's `startSystem` on free ports and with its data in a fresh temporary directory instead of the
 * repository's `.data/`, so a chaos run never touches (or is disturbed by) a running demo.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem, type RunningSystem } from '@shop/demo/dist/index';

export interface IsolatedSystem {
  system: RunningSystem;
  /** One PGlite directory per service, and `logs/`. */
  dataDir: string;
  /** Stops the processes; the data stays until `remove()` (so it can be inspected). */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export async function startIsolatedSystem(
  repoRoot: string,
  onProgress: (line: string) => void,
): Promise<IsolatedSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-chaos-'));
  let stopped = false;
  const system = await startSystem({
    repoRoot,
    dataDir,
    ports: 'dynamic',
    keepData: false,
    // PGlite, not the demo's embedded server: once the services have stopped, the invariant check opens each one's
    // data directory itself to count the outbox rows still pending (read-outbox-backlog.ts).
    database: 'pglite',
    onProgress: (service, state, detail) => {
      if (state !== 'starting') onProgress(`${service} ${state}${detail ? ` ${detail}` : ''}`);
    },
  });
  return {
    system,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await system.stop();
    },
    remove: () => rm(dataDir, { recursive: true, force: true }),
  };
}
