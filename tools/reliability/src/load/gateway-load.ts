/**
 * Load: a few customers each call the gateway at twice their rate limit for a while. The promise: every answer is
 * 2xx or 429 (never a 5xx or a dropped connection), and the gateway's memory stays flat (sampled from /proc every
 * second). An open-loop driver: requests are sent on schedule whatever the answers, as real clients would.
 */
import type { ChaosCustomer } from '../chaos/shop-traffic';
import { residentMiB } from './process-rss';

export interface LoadOptions {
  gatewayUrl: string;
  gatewayPid: number;
  customers: ChaosCustomer[];
  /** Requests per second per customer. */
  ratePerCustomer: number;
  durationMs: number;
  /** Requests in flight above which the driver counts a tick as skipped instead of piling up. */
  maxInFlight?: number;
}

export interface LoadResult {
  sent: number;
  statuses: Record<string, number>;
  skipped: number;
  rssMiB: number[];
  p99Ms: number;
}

const PATHS = ['/api/products?limit=5', '/api/orders?limit=5', '/api/users/me'];

export async function runGatewayLoad(options: LoadOptions): Promise<LoadResult> {
  const { customers, ratePerCustomer, durationMs } = options;
  const maxInFlight = options.maxInFlight ?? 500;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const rssMiB: number[] = [await residentMiB(options.gatewayPid)];
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const fire = (customer: ChaosCustomer, path: string) => {
    inFlight += 1;
    const startedAt = performance.now();
    const request = fetch(`${options.gatewayUrl}${path}`, {
      headers: { authorization: `Bearer ${customer.token}` },
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      })
      .catch((error: Error) => {
        statuses[`error:${error.name}`] = (statuses[`error:${error.name}`] ?? 0) + 1;
      })
      .finally(() => {
        inFlight -= 1;
        latencies.push(performance.now() - startedAt);
        pending.delete(request);
      });
    pending.add(request);
  };

  const startedAt = Date.now();
  const perCustomerSent = customers.map(() => 0);
  let nextSample = startedAt + 1_000;
  while (Date.now() - startedAt < durationMs) {
    const due = Math.floor(((Date.now() - startedAt) / 1000) * ratePerCustomer);
    customers.forEach((customer, index) => {
      while (perCustomerSent[index]! < due) {
        perCustomerSent[index]! += 1;
        if (inFlight >= maxInFlight) {
          skipped += 1;
          continue;
        }
        sent += 1;
        fire(customer, PATHS[sent % PATHS.length]!);
      }
    });
    if (Date.now() >= nextSample) {
      rssMiB.push(await residentMiB(options.gatewayPid));
      nextSample += 1_000;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all([...pending]);
  rssMiB.push(await residentMiB(options.gatewayPid));
  latencies.sort((a, b) => a - b);
  return { sent, statuses, skipped, rssMiB, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

/** Only 2xx and 429 are acceptable answers under load. */
export function unacceptableStatuses(statuses: Record<string, number>): string[] {
  return Object.keys(statuses).filter((status) => !(/^2\d\d$/.test(status) || status === '429'));
}
