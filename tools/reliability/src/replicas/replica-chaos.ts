/**
 * Chaos with replicas: the chaos suite's traffic (customers through the gateways, same Idempotency-Key per order),
 * its participant faults (applied to both replicas of a participant) and its duplicate deliveries — while one order
 * replica at a time is SIGKILLed mid-saga (it holds saga leases when it dies) and one replica of each participant is
 * SIGKILLed too. Every killed replica is restarted after a short outage, so the run ends with both replicas up and
 * a restarted replica has to rejoin cleanly. Then the faults are cleared and the system must settle by itself.
 */
import { sleep, systemClock } from '@shop/clock';
import { openPostgresDatabase, type Database } from '@shop/db';
import { setFaults } from '@shop/testing';
import { PARTICIPANTS, type Participant } from '../chaos/chaos-plan';
import { startDuplicateDeliveries } from '../chaos/duplicate-deliveries';
import {
  placeOrderWithRetry,
  randomBasket,
  registerCustomer,
  type ChaosCustomer,
  type PlacedOrder,
} from '../chaos/shop-traffic';
import { waitForQuiescence, type StateWithoutOutbox } from '../chaos/wait-for-quiescence';
import { readProducts, type ServiceUrls } from '../invariants/read-system-state';
import type { SeededRandom } from '../seeded-random';
import { describeReplicaChaosPlan, replicaChaosPlan, type KillAction } from './replica-chaos-plan';
import type { Replica, ReplicaSystem } from './replica-system';

export interface ReplicaChaosOptions {
  orders: number;
  customers: number;
  durationMs: number;
  /** SIGKILLs of an order replica (alternating between the two). */
  orderKills: number;
  declineRate: number;
  duplicateProbability: number;
  quiesceTimeoutMs: number;
  log: (line: string) => void;
}

export interface ReplicaKill {
  replica: string;
  atMs: number;
  /** Saga leases the replica held when it was killed (order replicas only). */
  leasesHeld?: number;
  downMs: number;
  readyAfterMs: number;
}

export interface ReplicaChaosResult {
  customers: ChaosCustomer[];
  placed: PlacedOrder[];
  initialStock: Record<string, number>;
  faultChanges: number;
  kills: ReplicaKill[];
  duplicatesSent: Record<string, number>;
  settled: boolean;
  settleMs: number;
  state: StateWithoutOutbox;
}

export function replicaUrls(system: ReplicaSystem): ServiceUrls {
  return {
    order: system.entry('order'),
    inventory: system.entry('inventory'),
    payment: system.entry('payment'),
    shipping: system.entry('shipping'),
    localAws: system.localAwsUrl,
  };
}

export async function runReplicaChaos(
  system: ReplicaSystem,
  random: SeededRandom,
  options: ReplicaChaosOptions,
): Promise<ReplicaChaosResult> {
  const { log, durationMs } = options;
  const authorization = () => system.serviceAuth('replica-chaos').authorization;
  const urls = replicaUrls(system);
  const products = await readProducts(urls.inventory, authorization);
  const initialStock = Object.fromEntries(products.map((p) => [p.sku, p.stock]));
  log(`catalogue: ${products.map((p) => `${p.sku}×${p.stock}`).join(', ')}`);
  const customers: ChaosCustomer[] = [];
  for (let i = 0; i < options.customers; i++) customers.push(await registerCustomer(system.gatewayUrl, `replica${i}`));

  const plan = replicaChaosPlan(random, { durationMs, orderKills: options.orderKills });
  const { faults, kills } = plan;
  log(`plan over ${durationMs / 1000} s (faults go to both replicas of a participant):`);
  for (const line of describeReplicaChaosPlan(plan)) log(`  ${line}`);

  const duplicates = await startDuplicateDeliveries(system.aws, random, options.duplicateProbability);
  const orderDb = openPostgresDatabase({ url: system.databaseUrls.order!, maxConnections: 1 });
  let duplicatesStopped: Promise<void> | undefined;
  const stopDuplicates = () => (duplicatesStopped ??= duplicates.stop());
  try {
    const startedAt = Date.now();
    const skus = products.map((p) => p.sku);
    const orderDeadline = startedAt + durationMs + 60_000;
    const placing = Array.from({ length: options.orders }, () => {
      const at = startedAt + random.int(0, plan.trafficMs);
      const customer = random.pick(customers);
      const items = randomBasket(random, skus);
      const paymentMethod = random.chance(options.declineRate) ? 'tok_declined' : 'tok_visa';
      return sleep(systemClock, at - systemClock.now()).then(() =>
        placeOrderWithRetry(system.gatewayUrl, customer, items, paymentMethod, orderDeadline),
      );
    });

    const killing: Promise<ReplicaKill>[] = [];
    const timeline = [
      ...faults.map((action) => ({ atMs: action.atMs, run: () => applyFaults(system, action.service, action.rules) })),
      ...kills.map((action) => ({
        atMs: action.atMs,
        run: async () => {
          const kill = killAndRestart(system, orderDb, action, startedAt);
          kill.catch(() => undefined); // awaited with the others below; not an unhandled rejection meanwhile
          killing.push(kill);
        },
      })),
    ].sort((a, b) => a.atMs - b.atMs);
    for (const step of timeline) {
      await sleep(systemClock, startedAt + step.atMs - systemClock.now());
      await step.run();
    }
    const done = await Promise.all(killing);
    for (const service of PARTICIPANTS) await applyFaults(system, service, []);
    log(`chaos over after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; faults cleared, every replica up`);
    const placed = await Promise.all(placing);
    await stopDuplicates();
    log(`orders accepted: ${placed.filter((p) => p.outcome === 202).length}/${placed.length}; waiting to settle`);
    const settled = await waitForQuiescence(urls, authorization, initialStock, options.quiesceTimeoutMs);
    log(`${settled.settled ? 'settled' : 'NOT settled'} after ${(settled.ms / 1000).toFixed(1)} s`);
    return {
      placed,
      initialStock,
      faultChanges: faults.length,
      customers,
      kills: done,
      duplicatesSent: { ...duplicates.sent },
      settled: settled.settled,
      settleMs: settled.ms,
      state: settled.state,
    };
  } finally {
    await stopDuplicates().catch(() => undefined);
    await orderDb.close();
  }
}

/** Saga leases a live order process holds: the engine names its owner `host:pid:random`. */
async function leasesHeldBy(orderDb: Database, replica: Replica): Promise<number> {
  const { rows } = await orderDb.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM saga_instances
      WHERE state IN ('RUNNING', 'COMPENSATING') AND lease_owner LIKE $1 AND lease_until > now()`,
    [`%:${replica.process.child.pid}:%`],
  );
  return rows[0]!.n;
}

/** SIGKILL, a short outage, a restart. An order replica is killed mid-saga: once it holds a lease (briefly waited for). */
async function killAndRestart(
  system: ReplicaSystem,
  orderDb: Database,
  action: KillAction,
  startedAt: number,
): Promise<ReplicaKill> {
  const replica = system.replicas(action.service)[action.index]!;
  let leasesHeld: number | undefined;
  if (action.service === 'order') {
    const deadline = Date.now() + 5_000;
    while ((leasesHeld = await leasesHeldBy(orderDb, replica)) === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await replica.process.stop('SIGKILL');
  const killedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, action.downMs));
  await system.restart(replica);
  return {
    replica: replica.name,
    atMs: killedAt - startedAt,
    ...(leasesHeld !== undefined ? { leasesHeld } : {}),
    downMs: action.downMs,
    readyAfterMs: Date.now() - killedAt,
  };
}

/** Faults are per process: a participant's rules go to both its replicas (one being restarted just misses them). */
async function applyFaults(system: ReplicaSystem, service: Participant, rules: Parameters<typeof setFaults>[1]) {
  for (const replica of system.replicas(service)) {
    if (!replica.process.running) continue;
    await setFaults(replica.url, rules, { headers: system.serviceAuth('replica-chaos') }).catch(() => undefined);
  }
}
