/** Runs `docker compose` (v2 plugin) or `docker-compose` (v1), whichever is installed. */
import { spawn, spawnSync } from 'node:child_process';

/** The command prefix, e.g. `['docker', 'compose']`, or undefined when neither is on PATH. */
export function findComposeCommand(): readonly string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

/**
 * `compose -f a -f b config -q`: exit status 0 when the merged files are valid. `env` is added to this process's
 * environment, e.g. the JWT_SECRET the file requires.
 */
export function validateComposeFiles(
  command: readonly string[],
  files: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): { readonly valid: boolean; readonly output: string } {
  const args = [...command.slice(1), ...files.flatMap((file) => ['-f', file]), 'config', '-q'];
  const result = spawnSync(command[0]!, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { valid: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

export interface ComposeProject {
  /** From `findComposeCommand()`. */
  readonly command: readonly string[];
  readonly files: readonly string[];
  /** `-p`: a name of its own keeps a test's containers, networks and volumes apart from a stack already running. */
  readonly projectName: string;
  readonly cwd: string;
  /** Added to this process's environment (JWT_SECRET, published ports…). */
  readonly env: Readonly<Record<string, string>>;
}

export interface ComposeResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs one compose command of a project and collects its output. It never outlives `timeoutMs`: the command is
 * killed then and the result says so, so a stuck pull or build fails a test instead of hanging it.
 */
export function runCompose(
  project: ComposeProject,
  args: readonly string[],
  { timeoutMs }: { readonly timeoutMs: number },
): Promise<ComposeResult> {
  const [executable, ...prefix] = project.command;
  const fileArgs = project.files.flatMap((file) => ['-f', file]);
  const child = spawn(executable!, [...prefix, '-p', project.projectName, ...fileArgs, ...args], {
    cwd: project.cwd,
    env: { ...process.env, ...project.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => {
    output += `\n[killed after ${timeoutMs} ms]`;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${error.message}` });
    });
  });
}

/** Whether a Docker engine answers (`docker info`), for suites that need one. */
export function dockerEngineAnswers(): boolean {
  return (
    spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 15_000 }).status === 0
  );
}
