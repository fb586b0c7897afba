/**
 * Saga chaos: many concurrent orders through the gateway while the saga's participants get latency, errors and
 * downtime, the order service is SIGKILLed and restarted, and events are delivered twice. Then the faults are
 * cleared and the system must settle by itself; the caller checks the invariants on the settled state.
 */
import { sleep, systemClock } from '@shop/clock';
import type { RunningSystem } from '@shop/demo/dist/index';
import { setFaults } from '@shop/testing';
import { readProducts, type ServiceUrls } from '../invariants/read-system-state';
import type { SeededRandom } from '../seeded-random';
import { chaosPlan, PARTICIPANTS, type ChaosAction } from './chaos-plan';
import { startDuplicateDeliveries } from './duplicate-deliveries';
import { describeRule } from './describe-rule';
import {
  placeOrderWithRetry,
  randomBasket,
  registerCustomer,
  type ChaosCustomer,
  type PlacedOrder,
} from './shop-traffic';
import { waitForQuiescence, type StateWithoutOutbox } from './wait-for-quiescence';

export interface SagaChaosOptions {
  orders: number;
  customers: number;
  durationMs: number;
  crashes: number;
  declineRate: number;
  duplicateProbability: number;
  quiesceTimeoutMs: number;
  log: (line: string) => void;
}

export interface SagaChaosResult {
  customers: ChaosCustomer[];
  placed: PlacedOrder[];
  initialStock: Record<string, number>;
  faultChanges: number;
  crashes: { atMs: number; downMs: number; readyAfterMs: number }[];
  duplicatesSent: Record<string, number>;
  duplicatorErrors: { count: number; last?: string };
  settled: boolean;
  settleMs: number;
  state: StateWithoutOutbox;
}

export function serviceUrls(system: RunningSystem): ServiceUrls {
  return {
    order: system.service('order').baseUrl,
    inventory: system.service('inventory').baseUrl,
    payment: system.service('payment').baseUrl,
    shipping: system.service('shipping').baseUrl,
    localAws: system.localAwsUrl,
  };
}

export async function runSagaChaos(
  system: RunningSystem,
  random: SeededRandom,
  options: SagaChaosOptions,
): Promise<SagaChaosResult> {
  const { log } = options;
  const authorization = () => system.serviceAuth('chaos').authorization;
  const urls = serviceUrls(system);
  const products = await readProducts(urls.inventory, authorization);
  const initialStock = Object.fromEntries(products.map((p) => [p.sku, p.stock]));
  log(`catalogue: ${products.map((p) => `${p.sku}×${p.stock}`).join(', ')}`);

  const customers: ChaosCustomer[] = [];
  for (let i = 0; i < options.customers; i++) customers.push(await registerCustomer(system.gatewayUrl, `chaos${i}`));
  log(`${customers.length} customers registered`);

  const plan = chaosPlan(random, { durationMs: options.durationMs, crashes: options.crashes });
  log(`chaos plan (${plan.length} actions over ${options.durationMs / 1000} s):`);
  for (const action of plan) log(`  ${describeAction(action)}`);

  const duplicates = await startDuplicateDeliveries(system.aws, random, options.duplicateProbability);
  const startedAt = Date.now();
  const skus = products.map((p) => p.sku);
  const orderDeadline = startedAt + options.durationMs + 60_000;
  const placing = Array.from({ length: options.orders }, () => {
    const at = startedAt + random.int(0, Math.round(options.durationMs * 0.7));
    const customer = random.pick(customers);
    const items = randomBasket(random, skus);
    const paymentMethod = random.chance(options.declineRate) ? 'tok_declined' : 'tok_visa';
    return sleep(systemClock, at - systemClock.now()).then(() =>
      placeOrderWithRetry(system.gatewayUrl, customer, items, paymentMethod, orderDeadline),
    );
  });

  const crashes: SagaChaosResult['crashes'] = [];
  const orderService = system.service('order');
  for (const action of plan) {
    await sleep(systemClock, startedAt + action.atMs - systemClock.now());
    if (action.kind === 'faults') {
      await setFaults(system.service(action.service).baseUrl, action.rules, { headers: system.serviceAuth('chaos') });
    } else {
      await orderService.stop('SIGKILL');
      const killedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, action.downMs));
      orderService.start();
      await orderService.waitUntilReady();
      crashes.push({ atMs: killedAt - startedAt, downMs: action.downMs, readyAfterMs: Date.now() - killedAt });
    }
  }
  for (const service of PARTICIPANTS) {
    await setFaults(system.service(service).baseUrl, [], { headers: system.serviceAuth('chaos') });
  }
  log(`chaos over after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; faults cleared`);
  const placed = await Promise.all(placing);
  await duplicates.stop();
  log(
    `orders accepted: ${placed.filter((p) => p.outcome === 202).length}/${placed.length}; waiting for the system to settle`,
  );

  const settled = await waitForQuiescence(urls, authorization, initialStock, options.quiesceTimeoutMs);
  log(`${settled.settled ? 'settled' : 'NOT settled'} after ${(settled.ms / 1000).toFixed(1)} s`);
  return {
    customers,
    placed,
    initialStock,
    faultChanges: plan.filter((a) => a.kind === 'faults').length,
    crashes,
    duplicatesSent: { ...duplicates.sent },
    duplicatorErrors: { ...duplicates.errors },
    settled: settled.settled,
    settleMs: settled.ms,
    state: settled.state,
  };
}

function describeAction(action: ChaosAction): string {
  const at = `${(action.atMs / 1000).toFixed(1).padStart(5)} s`;
  if (action.kind === 'crash-order-service') return `${at}  SIGKILL order-service, restart after ${action.downMs} ms`;
  return `${at}  ${action.service.padEnd(9)} ${action.rules.length ? action.rules.map(describeRule).join('; ') : 'healthy'}`;
}
