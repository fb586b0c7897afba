/**
 * The demo's `startSystem`, but with its data in a fresh temporary directory instead of the repository's `.data/`,
 * so a chaos run never touches (or is disturbed by) a demo's databases. `startSystem` keeps data under
 * `<repoRoot>/.data` and starts `<repoRoot>/services/<name>/dist/main.js`: a temporary root whose `services` is a
 * link to the real one gives both. (It still uses the demo's fixed ports 3000–3005 and 4566: run one at a time.)
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem, type RunningSystem } from '@shop/demo/dist/index';

export interface IsolatedSystem {
  system: RunningSystem;
  /** `<root>/.data`: one PGlite directory per service, and `logs/`. */
  dataDir: string;
  /** Stops the processes; the data stays until `remove()` (so it can be inspected). */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export async function startIsolatedSystem(
  repoRoot: string,
  onProgress: (line: string) => void,
): Promise<IsolatedSystem> {
  const root = await mkdtemp(join(tmpdir(), 'shop-chaos-'));
  await symlink(join(repoRoot, 'services'), join(root, 'services'), 'dir');
  let stopped = false;
  const system = await startSystem({
    repoRoot: root,
    keepData: false,
    onProgress: (service, state, detail) => {
      if (state !== 'starting') onProgress(`${service} ${state}${detail ? ` ${detail}` : ''}`);
    },
  });
  return {
    system,
    dataDir: join(root, '.data'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await system.stop();
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
