/**
 * The order service as a real process (`node dist/main.js`, built by turbo before tests run), so a crash is a real
 * SIGKILL: no shutdown hooks, no flushed buffers, transactions in flight simply gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const main = join(__dirname, '..', '..', 'dist', 'main.js');

export interface OrderProcess {
  child: ChildProcess;
  /** Resolves with the base URL once the server listens. */
  url: Promise<string>;
  /** Resolves with the signal that ended the process (null for a normal exit). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait for the graceful exit; resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startOrderProcess(env: Record<string, string>): OrderProcess {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]!);
      if (process.env.DEBUG_SERVICE) process.stderr.write(line + '\n');
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`order service exited early (${code ?? signal}): ${stderr.slice(-2000)}`)),
    );
  });
  url.catch(() => undefined); // a crash before listening is reported by whoever awaits `url`
  return {
    child,
    url,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
