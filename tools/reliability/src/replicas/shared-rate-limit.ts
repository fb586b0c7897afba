/**
 * Do the two gateways enforce one limit per customer? The same customer asks each gateway once, back to back; with
 * the counters in Redis the second answer's `RateLimit-Remaining` is one below the first's, where two in-memory
 * limiters would each report their own count.
 */
import type { ChaosCustomer } from '../chaos/shop-traffic';

export interface SharedLimitProbe {
  remaining: number[];
  shared: boolean;
}

export async function probeSharedRateLimit(gatewayUrls: string[], customer: ChaosCustomer): Promise<SharedLimitProbe> {
  let remaining: number[] = [];
  // A second try covers the window rolling over between the two calls.
  for (let attempt = 0; attempt < 2; attempt++) {
    remaining = [];
    for (const url of gatewayUrls) {
      const response = await fetch(`${url}/api/orders?limit=1`, {
        headers: { authorization: `Bearer ${customer.token}` },
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      remaining.push(Number(response.headers.get('ratelimit-remaining')));
    }
    if (remaining.every((n, i) => i === 0 || n === remaining[i - 1]! - 1)) return { remaining, shared: true };
  }
  return { remaining, shared: false };
}
