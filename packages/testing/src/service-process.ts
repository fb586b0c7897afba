/**
 * A service as a real process, the way an operator runs it: `node dist/main.js` with its own environment. The demo
 * runs the system with it; tests use it for what only a process shows — start-up on a free port, graceful shutdown
 * on SIGTERM, a crash that is a real SIGKILL, one clear line on bad configuration.
 *
 * It reads the service's own log lines: the URL from Fastify's "Server listening at …", and the start-up phases
 * runService logs (`"phase":"migrations"`, `"listening"`, `"ready"`), so a slow start shows how far it has come.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceProcessOptions {
  /** Absolute path of the built entry point, e.g. `join(__dirname, '..', 'dist', 'main.js')`. */
  main: string;
  /** Added to this process's environment (e.g. `PORT: '0'`, `DATA_DIR`, `JWT_SECRET`). */
  env: Record<string, string>;
  /**
   * Variables of this process's environment the child must not inherit (`env` may still set them): a system that
   * chooses its own infrastructure must not pick up a shell's or CI's `REDIS_URL` or `DATABASE_URL` by accident.
   */
  withoutInherited?: readonly string[];
  /** Node's own flags, before `main` (e.g. a smaller young generation: `--max-semi-space-size=2`). */
  nodeFlags?: readonly string[];
  /** In messages; default the package folder's name (`services/user/dist/main.js` → `user`). */
  name?: string;
  cwd?: string;
  /** Also append everything the process writes to this file (the demo's `.data/logs/<name>.log`). */
  logFile?: string;
  /** Opens an IPC channel to the child and hands each message it sends here, with a way to answer. */
  onMessage?: (message: unknown, send: (message: unknown) => void) => void;
  /** Called as the service logs each start-up phase, with the line's detail (e.g. the URL it listens on). */
  onPhase?: (phase: StartupPhase, detail: string) => void;
}

/** What runService logs on the way up: migrations applied, the server listening, messaging and workers running. */
export type StartupPhase = 'migrations' | 'listening' | 'ready';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const PHASES: readonly string[] = ['migrations', 'listening', 'ready'] satisfies StartupPhase[];
/** Output kept in memory per stream (the log file has all of it); plenty for any test, bounded for a long demo. */
const KEPT_OUTPUT_CHARS = 1_000_000;

/**
 * Children still running when this process exits (a crash, an unhandled signal) are killed with it, so no orphaned
 * service keeps a port busy.
 */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

function inheritedEnvironment(without: readonly string[] = []): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of without) delete inherited[name];
  return inherited;
}

export class ServiceProcess {
  readonly name: string;
  private current?: {
    child: ChildProcess;
    url: Promise<string>;
    exited: Promise<ExitStatus>;
  };
  private announcedUrl?: string;
  private stdout = '';
  private stderr = '';
  private readonly recent: string[] = [];
  private log?: WriteStream;

  constructor(private readonly options: ServiceProcessOptions) {
    this.name = options.name ?? basename(dirname(dirname(options.main)));
  }

  /** Starts (or, after a stop, restarts) the process; `extraEnv` applies to this start only. */
  start(extraEnv: Record<string, string> = {}): this {
    const { main, env, onMessage } = this.options;
    if (this.options.logFile) this.log ??= createWriteStream(this.options.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...(this.options.nodeFlags ?? []), main], {
      cwd: this.options.cwd,
      env: { ...inheritedEnvironment(this.options.withoutInherited), ...env, ...extraEnv },
      stdio: onMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    if (onMessage) {
      child.on('message', (message) => onMessage(message, (answer) => child.connected && child.send(answer as object)));
    }
    liveChildren.add(child);
    this.announcedUrl = undefined;
    // `close`, not `exit`: by then the output is complete, so a test can read what the process said last.
    const exited = new Promise<ExitStatus>((resolve) =>
      child.once('close', (code, signal) => {
        liveChildren.delete(child);
        resolve({ code, signal });
      }),
    );
    const url = new Promise<string>((resolve, reject) => {
      this.readLines(child.stdout!, 'stdout', (line) => {
        const match = LISTENING.exec(line);
        if (match) resolve((this.announcedUrl = match[1]!));
      });
      this.readLines(child.stderr!, 'stderr');
      void exited.then(({ code, signal }) =>
        reject(new Error(`${main} exited before listening (${code ?? signal}): ${this.stderr.slice(-2000)}`)),
      );
    });
    // A test that expects a failed start only awaits `exited`; whoever awaits `url` still gets the rejection.
    url.catch(() => undefined);
    this.current = { child, url, exited };
    return this;
  }

  get child(): ChildProcess {
    return this.started().child;
  }

  /** Resolves with the base URL once the server logs "Server listening at …"; rejects if the process exits first. */
  get url(): Promise<string> {
    return this.started().url;
  }

  /** Resolves with how the process ended (its exit code, or the signal that killed it) once its output is complete. */
  get exited(): Promise<ExitStatus> {
    return this.started().exited;
  }

  get running(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The base URL, known at once from a fixed `PORT`; with `PORT=0` only once listening (await `url` instead). */
  get baseUrl(): string {
    const known = this.knownUrl();
    if (!known) throw new Error(`${this.name} has no fixed PORT and has not announced its URL yet: await url`);
    return known;
  }

  /** Polls /health/ready until it answers 200; fails early, with the reason, if the process exits. */
  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        // Wait for the output to be complete, so the last lines include what it said as it died.
        const { code, signal } = await this.exited;
        throw new Error(`${this.name} exited during start-up (${code ?? signal})`);
      }
      const base = this.knownUrl();
      if (base) {
        try {
          const response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(1_000) });
          if (response.ok) return;
        } catch {
          // not listening yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s`);
  }

  /** Everything the process has written so far (the last megabyte of each stream). */
  output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout, stderr: this.stderr };
  }

  /** The last lines of both streams, in order: what an error report shows. */
  lastLines(count = 20): string[] {
    return this.recent.slice(-count);
  }

  /**
   * SIGTERM (graceful) or SIGKILL (a crash); resolves with the exit once the process is gone. A graceful stop that
   * takes longer than `graceMs` is finished with SIGKILL, so a stuck service can never hang the demo or a test run.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<ExitStatus> {
    const { child, exited } = this.started();
    if (!this.running) return exited;
    child.kill(signal);
    const escalation = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const status = await exited;
    clearTimeout(escalation);
    return status;
  }

  /** Stops the process (if it runs) and closes its log file. */
  async close(): Promise<void> {
    if (this.current) await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }

  private knownUrl(): string | undefined {
    const port = Number(this.options.env.PORT);
    return port > 0 ? `http://127.0.0.1:${port}` : this.announcedUrl;
  }

  private started(): NonNullable<ServiceProcess['current']> {
    if (!this.current) throw new Error(`${this.name} has not been started`);
    return this.current;
  }

  private readLines(stream: NodeJS.ReadableStream, kind: 'stdout' | 'stderr', onLine?: (line: string) => void): void {
    createInterface({ input: stream }).on('line', (line) => {
      if (kind === 'stdout') this.stdout = keepTail(`${this.stdout}${line}\n`);
      else this.stderr = keepTail(`${this.stderr}${line}\n`);
      this.recent.push(line);
      if (this.recent.length > 40) this.recent.shift();
      this.log?.write(`${line}\n`);
      if (process.env.DEBUG_SERVICE) process.stderr.write(`${line}\n`);
      onLine?.(line);
      this.reportPhase(line);
    });
  }

  private reportPhase(line: string): void {
    if (!this.options.onPhase || !line.includes('"phase":')) return;
    try {
      const { phase, msg, url, applied } = JSON.parse(line) as {
        phase?: string;
        msg?: string;
        url?: string;
        applied?: unknown[];
      };
      if (!phase || !PHASES.includes(phase)) return;
      const detail = url ?? (Array.isArray(applied) ? `${applied.length} applied` : (msg ?? ''));
      this.options.onPhase(phase as StartupPhase, detail);
    } catch {
      // not a JSON log line (pretty output on a terminal): no phase to report
    }
  }
}

/** Starts a service process; see ServiceProcess. */
export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  return new ServiceProcess(options).start();
}

function keepTail(text: string): string {
  return text.length > KEPT_OUTPUT_CHARS ? text.slice(-KEPT_OUTPUT_CHARS) : text;
}
