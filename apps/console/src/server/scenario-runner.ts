/**
 * The demo's eight scenarios, runnable from the page. Under `pnpm demo` the demo process runs them (it owns the
 * processes some scenarios kill and restart) and this side relays its narration over IPC; anywhere else (compose)
 * the console runs them itself against the gateway, and those that need to control processes are unavailable — as
 * with `pnpm demo --gateway`. One scenario at a time: they inject faults that would disturb each other.
 */
import { GatewayClient, Narrator, runScenarios, scenarios, type DemoReply } from '@shop/demo/dist/index';
import type { ScenarioInfo, ScenarioResult } from '../shared/console-api';

export interface ScenarioRunner {
  readonly scenarios: ScenarioInfo[];
  /** The scenario running now, if any. */
  readonly running: number | undefined;
  /**
   * Starts a run and returns its outcome, to come; `onLine` gets each narrated line. Throws at once (before anything
   * runs) when the scenario is unknown, unavailable here, or another one is running.
   */
  start(id: number, onLine: (line: string) => void): Promise<ScenarioResult>;
}

export class ScenarioBusyError extends Error {}
export class ScenarioUnavailableError extends Error {}

// The narrator colours lines on a terminal; the page shows plain text.
// eslint-disable-next-line no-control-regex
const plain = (line: string) => line.replace(/\u001b\[\d+m/g, '');

type Execute = (id: number, onLine: (line: string) => void) => Promise<ScenarioResult>;

function createRunner(
  unavailable: (needsLocalSystem: boolean) => string | undefined,
  execute: Execute,
): ScenarioRunner {
  const infos: ScenarioInfo[] = scenarios.map(({ id, title, lesson, needsLocalSystem }) => {
    const reason = unavailable(needsLocalSystem ?? false);
    return { id, title, lesson, ...(reason ? { unavailable: reason } : {}) };
  });
  let running: number | undefined;
  return {
    scenarios: infos,
    get running() {
      return running;
    },
    start(id, onLine) {
      const info = infos.find((candidate) => candidate.id === id);
      if (!info) throw new ScenarioUnavailableError(`there is no scenario ${id}`);
      if (info.unavailable) throw new ScenarioUnavailableError(info.unavailable);
      if (running !== undefined) throw new ScenarioBusyError(`scenario ${running} is still running`);
      running = id;
      return execute(id, (line) => onLine(plain(line))).finally(() => {
        running = undefined;
      });
    },
  };
}

/** Runs scenarios in this process, through the gateway only. */
export function inProcessScenarioRunner(gatewayUrl: string): ScenarioRunner {
  return createRunner(
    (needsLocalSystem) =>
      needsLocalSystem
        ? 'needs the processes that `pnpm demo` starts (it kills, restarts or reconfigures them)'
        : undefined,
    async (id, onLine) => {
      const out = new Narrator(onLine);
      const scenario = scenarios.find((candidate) => candidate.id === id)!;
      const [outcome] = await runScenarios([scenario], { gateway: new GatewayClient(gatewayUrl, out), out });
      const { status, ms, error } = outcome!;
      return { id, status, ms, ...(error ? { error } : {}) };
    },
  );
}

/** Asks the demo process that started this console (over the IPC channel) to run scenarios. */
export function demoProcessScenarioRunner(channel: NodeJS.Process = process): ScenarioRunner {
  if (!channel.send)
    throw new Error('SCENARIO_RUNNER=demo-process needs an IPC channel to the demo (pnpm demo sets it up)');
  const lineListeners = new Map<number, (line: string) => void>();
  const finishers = new Map<number, (result: ScenarioResult) => void>();
  channel.on('message', (message: DemoReply) => {
    if (message?.type === 'scenario-line') lineListeners.get(message.id)?.(message.line);
    if (message?.type === 'scenario-finished') {
      const { id, status, ms, error } = message;
      finishers.get(id)?.({ id, status, ms, ...(error ? { error } : {}) });
    }
  });
  // The demo going away mid-run must not leave the console believing a scenario still runs.
  channel.on('disconnect', () => {
    for (const [id, finish] of finishers) finish({ id, status: 'failed', ms: 0, error: 'the demo process went away' });
  });
  return createRunner(
    () => undefined,
    (id, onLine) =>
      new Promise<ScenarioResult>((resolve) => {
        lineListeners.set(id, onLine);
        finishers.set(id, (result) => {
          lineListeners.delete(id);
          finishers.delete(id);
          resolve(result);
        });
        channel.send!({ type: 'run-scenario', id });
      }),
  );
}
