/**
 * What the chaos loop does, decided up front from the seed: a timeline of fault changes on the saga's participants
 * and of order-service crashes. Printed before the run, so a failing run can be read (and re-run) step by step.
 */
import type { SeededRandom } from '../seeded-random';
import type { FaultRule } from '@shop/testing';

export const PARTICIPANTS = ['inventory', 'payment', 'shipping'] as const;
export type Participant = (typeof PARTICIPANTS)[number];

export type ChaosAction =
  | { atMs: number; kind: 'faults'; service: Participant; rules: FaultRule[] }
  | { atMs: number; kind: 'crash-order-service'; downMs: number };

export interface ChaosPlanOptions {
  durationMs: number;
  crashes: number;
  /** The crashes fall in the first this-many ms (default: the whole run) — e.g. while orders are still arriving. */
  crashWindowMs?: number;
}

function randomRule(random: SeededRandom): FaultRule[] {
  switch (random.int(0, 4)) {
    case 0:
      return [{ route: '*', latencyMs: random.int(100, 1_500), jitterMs: random.int(0, 300) }];
    case 1:
      return [{ route: '*', errorRate: random.int(2, 7) / 10, errorStatus: random.pick([500, 502, 503]) }];
    case 2:
      return [{ route: '*', down: random.pick(['reset', '503'] as const) }];
    case 3:
      return [{ route: '*', latencyMs: random.int(200, 800), errorRate: random.int(1, 4) / 10, errorStatus: 503 }];
    default:
      return []; // healthy again
  }
}

export function chaosPlan(
  random: SeededRandom,
  { durationMs, crashes, crashWindowMs = durationMs }: ChaosPlanOptions,
): ChaosAction[] {
  const actions: ChaosAction[] = [];
  for (let atMs = random.int(200, 1_000); atMs < durationMs; atMs += random.int(700, 2_500)) {
    actions.push({ atMs, kind: 'faults', service: random.pick(PARTICIPANTS), rules: randomRule(random) });
  }
  for (let i = 0; i < crashes; i++) {
    // Spread the crashes over the window: one in each slice, at a random moment inside it.
    const slice = Math.min(crashWindowMs, durationMs) / crashes;
    actions.push({
      atMs: Math.round(i * slice + random.next() * slice * 0.8),
      kind: 'crash-order-service',
      downMs: random.int(0, 1_500),
    });
  }
  return actions.sort((a, b) => a.atMs - b.atMs);
}
