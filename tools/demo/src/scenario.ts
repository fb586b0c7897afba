/** What a scenario is, and the small vocabulary scenarios are written in. */
import type { GatewayClient } from './gateway-client';
import type { Narrator } from './narrator';
import type { RunningSystem } from './system';

export interface ScenarioContext {
  gateway: GatewayClient;
  out: Narrator;
  /** The processes, when the demo started them itself (absent against an external gateway, e.g. compose). */
  system?: RunningSystem;
}

export interface Scenario {
  id: number;
  title: string;
  /** One sentence: what to watch for. */
  lesson: string;
  /** Needs to control the processes (fault injection, kills, queues); skipped against an external gateway. */
  needsLocalSystem?: boolean;
  run(context: ScenarioContext): Promise<void>;
}

export class ScenarioFailure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ScenarioFailure(message);
}

export function requireSystem(context: ScenarioContext): RunningSystem {
  if (!context.system) throw new ScenarioFailure('needs the locally started system');
  return context.system;
}

/** Re-reads something until it satisfies `done` or the deadline passes (returns the last value either way). */
export async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
