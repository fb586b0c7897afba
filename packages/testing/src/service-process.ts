/**
 * A service as a real process, the way an operator runs it: `node dist/main.js` with its own environment. Tests use
 * it for what only a process shows — start-up on a free port, graceful shutdown on SIGTERM, a crash that is a real
 * SIGKILL, one clear line on bad configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceProcessOptions {
  /** Absolute path of the built entry point, e.g. `join(__dirname, '..', 'dist', 'main.js')`. */
  main: string;
  /** Added to this process's environment (e.g. `PORT: '0'`, `DATA_DIR`, `JWT_SECRET`). */
  env: Record<string, string>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves with the base URL once the server logs "Server listening at …"; rejects if the process exits first. */
  url: Promise<string>;
  /** Resolves with how the process ended (its exit code, or the signal that killed it) once its output is complete. */
  exited: Promise<ExitStatus>;
  /** Everything the process has written so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM (unless it has already ended) and wait for the exit. */
  stop(): Promise<ExitStatus>;
}

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

export function startServiceProcess({ main, env }: ServiceProcessOptions): ServiceProcess {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<ExitStatus>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      const match = LISTENING.exec(line);
      if (match) resolve(match[1]!);
      if (process.env.DEBUG_SERVICE) process.stderr.write(`${line}\n`);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`${main} exited before listening (${code ?? signal}): ${stderr.slice(-2000)}`)),
    );
  });
  // A test that expects a failed start only awaits `exited`; whoever awaits `url` still gets the rejection.
  url.catch(() => undefined);
  return {
    child,
    url,
    exited,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
