/**
 * One service as a child process: started from its built `dist/main.js` with its own environment, its output kept
 * (the last lines in memory for error reports, everything in `.data/logs/<name>.log`), ready when /health/ready says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceDefinition {
  /** e.g. `order` (the folder under services/). */
  name: string;
  port: number;
  env: Record<string, string>;
  /** The entry point; default `services/<name>/dist/main.js`. */
  main?: string;
  /** Opens an IPC channel to the child and hands each message it sends here, with a way to answer. */
  onMessage?: (message: unknown, send: (message: unknown) => void) => void;
}

const KEPT_LINES = 40;

/**
 * Children still running when this process exits (a crash, an unhandled signal) are killed with it, so no orphaned
 * service keeps a demo port busy.
 */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export class ServiceProcess {
  private child?: ChildProcess;
  private readonly recent: string[] = [];
  private log?: WriteStream;
  private exited?: Promise<number | null>;

  constructor(
    readonly definition: ServiceDefinition,
    private readonly repoRoot: string,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.definition.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(extraEnv: Record<string, string> = {}): void {
    const { name, port, env, onMessage } = this.definition;
    const main = this.definition.main ?? join(this.repoRoot, 'services', name, 'dist', 'main.js');
    this.log ??= createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [main], {
      cwd: this.repoRoot,
      env: { ...process.env, ...env, ...extraEnv, PORT: String(port) },
      stdio: onMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (onMessage) {
      child.on('message', (message) => onMessage(message, (answer) => child.connected && child.send(answer as object)));
    }
    liveChildren.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        liveChildren.delete(child);
        resolve(code);
      }),
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.recent.push(line);
        if (this.recent.length > KEPT_LINES) this.recent.shift();
        this.log?.write(`${line}\n`);
      });
    }
  }

  /** Polls /health/ready until it answers 200; fails early if the process exits. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.definition.name} exited during start-up`);
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.definition.name} was not ready within ${timeoutMs / 1000} s`);
  }

  /**
   * SIGTERM (graceful) or SIGKILL (a crash); resolves when the process is gone. A graceful stop that takes longer
   * than `graceMs` is finished with SIGKILL, so a stuck service can never hang the demo or a test run.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    const child = this.child!;
    child.kill(signal);
    const escalation = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(escalation);
  }

  lastLines(count = 20): string[] {
    return this.recent.slice(-count);
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }
}
