/** The internal services the gateway routes to, each behind its own pool, timeout and circuit breaker. */
import type { Clock } from '@shop/clock';
import { Upstream } from './proxy/upstream';

export interface UpstreamSettings {
  userServiceUrl: string;
  orderServiceUrl: string;
  inventoryServiceUrl: string;
  timeoutMs: number;
  /**
   * Limit for the calls that hash a password (registration, sign-in): scrypt at OWASP's parameters is slow on purpose
   * (~0.1–0.5 s quiet, seconds on a loaded host), and a 504 there would refuse a customer who did nothing wrong.
   * Default 15 s.
   */
  passwordTimeoutMs?: number;
  breakerConsecutiveFailures: number;
  breakerOpenMs: number;
  /** Time for breakers and timeouts (a FakeClock in tests). */
  clock?: Clock;
}

export interface Upstreams {
  users: Upstream;
  orders: Upstream;
  inventory: Upstream;
}

export function createUpstreams(settings: UpstreamSettings): Upstreams {
  const upstream = (name: string, baseUrl: string) =>
    new Upstream({
      name,
      baseUrl,
      timeoutMs: settings.timeoutMs,
      consecutiveFailures: settings.breakerConsecutiveFailures,
      openDurationMs: settings.breakerOpenMs,
      ...(settings.clock ? { clock: settings.clock } : {}),
    });
  return {
    users: upstream('user-service', settings.userServiceUrl),
    orders: upstream('order-service', settings.orderServiceUrl),
    inventory: upstream('inventory-service', settings.inventoryServiceUrl),
  };
}
