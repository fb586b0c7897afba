/** Runs `docker compose` (v2 plugin) or `docker-compose` (v1), whichever is installed. No Docker engine is needed. */
import { spawnSync } from 'node:child_process';

/** The command prefix, e.g. `['docker', 'compose']`, or undefined when neither is on PATH. */
export function findComposeCommand(): readonly string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

/** `compose -f a -f b config -q`: exit status 0 when the merged files are valid. */
export function validateComposeFiles(
  command: readonly string[],
  files: readonly string[],
  cwd: string,
): { readonly valid: boolean; readonly output: string } {
  const args = [...command.slice(1), ...files.flatMap((file) => ['-f', file]), 'config', '-q'];
  const result = spawnSync(command[0]!, args, { cwd, encoding: 'utf8' });
  return { valid: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}
