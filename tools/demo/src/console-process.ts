/**
 * The learner's console (apps/console) as a child process of the demo, with an IPC channel back to it. The console
 * shows the system; the scenarios it offers are run here, in the demo, because some of them control the processes
 * only the demo owns (scenario 7 kills and restarts the order service). The narration goes to this terminal and,
 * line by line, to the page. One scenario runs at a time, the demo's own opening run included.
 */
import { join } from 'node:path';
import { LOCAL_NODE_FLAGS } from './demo-settings';
import { GatewayClient } from './gateway-client';
import { Narrator } from './narrator';
import { runScenarios } from './run-scenarios';
import { scenarios } from './scenarios';
import { ServiceProcess } from '@shop/testing';
import type { RunningSystem } from './system';

/** The console's port in an interactive demo, next to the services' 3000–3005. */
export const CONSOLE_PORT = 3006;

/** What the console asks for, and what it is told (the console's scenario runner speaks the same). */
export type ConsoleRequest = { type: 'run-scenario'; id: number };
export type DemoReply =
  | { type: 'scenario-line'; id: number; line: string }
  | { type: 'scenario-finished'; id: number; status: 'passed' | 'failed' | 'skipped'; ms: number; error?: string };

export interface ConsoleProcess {
  readonly url: string;
  /** Runs `work` when no scenario is running, and keeps the console's requests waiting until it is done. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  repoRoot: string;
  port: number;
  /** Written to this terminal as well as to the page; default: stdout. */
  echo?: (line: string) => void;
}

export async function startConsole(system: RunningSystem, options: StartConsoleOptions): Promise<ConsoleProcess> {
  const url = (name: keyof RunningSystem['ports']) => `http://127.0.0.1:${system.ports[name]}`;
  const echo = options.echo ?? ((line: string) => process.stdout.write(`${line}\n`));
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function runForConsole(id: number, send: (reply: DemoReply) => void): Promise<void> {
    const scenario = scenarios.find((candidate) => candidate.id === id);
    if (!scenario) return send({ type: 'scenario-finished', id, status: 'failed', ms: 0, error: `no scenario ${id}` });
    const out = new Narrator((line) => {
      echo(line);
      send({ type: 'scenario-line', id, line });
    });
    const [outcome] = await runScenarios([scenario], {
      gateway: new GatewayClient(system.gatewayUrl, out),
      out,
      system,
    });
    const { status, ms, error } = outcome!;
    send({ type: 'scenario-finished', id, status, ms, ...(error ? { error } : {}) });
  }

  const consoleProcess = new ServiceProcess({
    name: 'console',
    main: join(options.repoRoot, 'apps', 'console', 'dist', 'server', 'main.js'),
    nodeFlags: LOCAL_NODE_FLAGS,
    cwd: options.repoRoot,
    logFile: join(system.logDir, 'console.log'),
    env: {
      PORT: String(options.port),
      HOST: '127.0.0.1',
      JWT_SECRET: system.jwtSecret,
      GATEWAY_URL: system.gatewayUrl,
      ORDER_SERVICE_URL: url('order'),
      USER_SERVICE_URL: url('user'),
      INVENTORY_SERVICE_URL: url('inventory'),
      PAYMENT_SERVICE_URL: url('payment'),
      SHIPPING_SERVICE_URL: url('shipping'),
      AWS_ENDPOINT_URL: system.localAwsUrl,
      AWS_REGION: 'us-east-1',
      TRACE_COLLECTOR_URL: system.collector.url,
      SCENARIO_RUNNER: 'demo-process',
    },
    onMessage: (message, send) => {
      const request = message as ConsoleRequest;
      if (request?.type === 'run-scenario') void exclusive(() => runForConsole(request.id, send));
    },
  });
  consoleProcess.start();
  try {
    await consoleProcess.waitUntilReady();
  } catch (error) {
    await consoleProcess.close();
    throw error;
  }
  return { url: consoleProcess.baseUrl, exclusive, close: () => consoleProcess.close() };
}
