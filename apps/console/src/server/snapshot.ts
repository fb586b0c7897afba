/**
 * One picture of the running system, taken every REFRESH_MS while a page watches: health, breakers, outbox
 * backlogs, queue depths, recent sagas and fault switch positions. Every part is read on its own, so a service that
 * is down shows as down while the rest of the picture stays live.
 */
import type { Breaker, Reading, ServiceName, SagaSummary, Snapshot } from '../shared/console-api';
import type { FaultSwitches } from './fault-switches';
import type { OperatorClient } from './operator-client';
import type { QueueWatcher } from './queues';
import { SERVICE_NAMES } from './system-map';

export interface SnapshotSources {
  operator: OperatorClient;
  urls: Record<ServiceName, string>;
  queues?: QueueWatcher;
  faults: FaultSwitches;
  /** The scenario running now, if any. */
  runningScenario: () => number | undefined;
}

/** Services with an outbox (every one that publishes events). */
const PUBLISHERS: readonly ServiceName[] = ['order', 'user', 'inventory', 'payment', 'shipping'];

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

export async function takeSnapshot(sources: SnapshotSources): Promise<Snapshot> {
  const { operator } = sources;
  const breakers = (service: ServiceName) =>
    operator
      .read<{ breakers: Breaker[] }>(service, '/operator/breakers')
      .then((reading): Reading<Breaker[]> => (reading.ok ? { ok: true, value: reading.value.breakers } : reading));
  const [health, gateway, order, outbox, queues, sagas, faults] = await Promise.all([
    Promise.all(SERVICE_NAMES.map(async (name) => [name, await isReady(sources.urls[name])] as const)),
    breakers('gateway'),
    breakers('order'),
    Promise.all(PUBLISHERS.map(async (name) => [name, await operator.read(name, '/operator/outbox')] as const)),
    readQueues(sources.queues),
    operator
      .read<{ sagas: SagaSummary[] }>('order', '/operator/sagas?limit=15')
      .then((reading): Reading<SagaSummary[]> => (reading.ok ? { ok: true, value: reading.value.sagas } : reading)),
    sources.faults.read(),
  ]);
  const running = sources.runningScenario();
  return {
    at: new Date().toISOString(),
    health: Object.fromEntries(health) as Snapshot['health'],
    breakers: { gateway, order },
    outbox: Object.fromEntries(outbox) as Snapshot['outbox'],
    queues,
    sagas,
    faults,
    scenario: running === undefined ? {} : { running },
  };
}

async function readQueues(queues: QueueWatcher | undefined): Promise<Snapshot['queues']> {
  if (!queues) return { ok: false, error: 'no SNS/SQS endpoint is configured (AWS_ENDPOINT_URL)' };
  try {
    return { ok: true, value: await queues.depths() };
  } catch (error) {
    return { ok: false, error: `SQS could not be asked: ${(error as Error).message}` };
  }
}
