/**
 * What the replica chaos does, decided up front from the seed (and printed before the run): the chaos suite's fault
 * timeline, its order-service crashes turned into SIGKILLs of order#0, order#1, order#0 …, and one SIGKILL of a
 * random replica of each participant in the middle of the traffic. Every kill is followed by a restart.
 *
 * Orders arrive during the first `TRAFFIC_SHARE` of the run (the rest lets retries and compensations play out under
 * the faults), and every kill falls inside that traffic window: an order replica is to die mid-saga, and after the
 * last arrival the sagas drain within moments — a kill planned later would find the replica holding no lease.
 */
import { chaosPlan, PARTICIPANTS, type ChaosAction, type Participant } from '../chaos/chaos-plan';
import { describeRule } from '../chaos/describe-rule';
import type { SeededRandom } from '../seeded-random';

/** The share of the run during which orders are placed; the kills fall inside it. */
export const TRAFFIC_SHARE = 0.7;

export type FaultAction = Extract<ChaosAction, { kind: 'faults' }>;
export interface KillAction {
  atMs: number;
  service: 'order' | Participant;
  index: number;
  /** How long the replica stays down before it is started again. */
  downMs: number;
}

export function replicaChaosPlan(
  random: SeededRandom,
  { durationMs, orderKills }: { durationMs: number; orderKills: number },
): { trafficMs: number; faults: FaultAction[]; kills: KillAction[] } {
  const trafficMs = Math.round(durationMs * TRAFFIC_SHARE);
  const plan = chaosPlan(random, { durationMs, crashes: orderKills, crashWindowMs: trafficMs });
  let orderKill = 0;
  const kills: KillAction[] = plan
    .filter((a) => a.kind === 'crash-order-service')
    .map((a) => ({ atMs: a.atMs, service: 'order' as const, index: orderKill++ % 2, downMs: a.downMs }));
  for (const service of PARTICIPANTS) {
    kills.push({
      atMs: random.int(Math.round(trafficMs * 0.2), trafficMs),
      service,
      index: random.int(0, 1),
      downMs: random.int(300, 2_000),
    });
  }
  return {
    trafficMs,
    faults: plan.filter((a): a is FaultAction => a.kind === 'faults'),
    kills: kills.sort((a, b) => a.atMs - b.atMs),
  };
}

/** One line per action, in time order. */
export function describeReplicaChaosPlan({ faults, kills }: ReturnType<typeof replicaChaosPlan>): string[] {
  const at = (ms: number) => `${(ms / 1000).toFixed(1).padStart(5)} s`;
  return [
    ...faults.map((f) => ({
      atMs: f.atMs,
      text: `${f.service.padEnd(9)} ${f.rules.length ? f.rules.map(describeRule).join('; ') : 'healthy'}`,
    })),
    ...kills.map((k) => ({ atMs: k.atMs, text: `SIGKILL ${k.service}#${k.index}, restart after ${k.downMs} ms` })),
  ]
    .sort((a, b) => a.atMs - b.atMs)
    .map((line) => `${at(line.atMs)}  ${line.text}`);
}
