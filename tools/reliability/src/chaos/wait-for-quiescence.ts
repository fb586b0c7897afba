/**
 * After the chaos stops, the system must settle by itself: every saga finished (or parked), every shipment at rest,
 * every queue outside the DLQs empty. Polls the state until that holds twice in a row, or the deadline passes
 * (returning the last state either way: the invariant checker then says what did not settle).
 */
import { readSystemState, type ServiceUrls } from '../invariants/read-system-state';
import type { SystemState } from '../invariants/system-state';

const SETTLED_ORDER = new Set(['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'NEEDS_ATTENTION']);

export type StateWithoutOutbox = Omit<SystemState, 'outboxPending'>;

export function isQuiescent(state: StateWithoutOutbox): boolean {
  const live = new Set(state.orders.filter((o) => o.status !== 'CANCELLED').map((o) => o.id));
  return (
    state.orders.every((order) => SETTLED_ORDER.has(order.status)) &&
    state.shipments.every((s) => !live.has(s.orderId) || s.status === 'DELIVERED' || s.status === 'CANCELLED') &&
    state.queues.filter((q) => !q.name.endsWith('-dlq')).every((q) => q.visible + q.inFlight + q.delayed === 0)
  );
}

export async function waitForQuiescence(
  urls: ServiceUrls,
  authorization: () => string,
  initialStock: Record<string, number>,
  timeoutMs: number,
): Promise<{ state: StateWithoutOutbox; settled: boolean; ms: number }> {
  const startedAt = Date.now();
  let calmInARow = 0;
  for (;;) {
    const state = await readSystemState(urls, authorization, initialStock);
    calmInARow = isQuiescent(state) ? calmInARow + 1 : 0;
    const ms = Date.now() - startedAt;
    if (calmInARow >= 2) return { state, settled: true, ms };
    if (ms > timeoutMs) return { state, settled: false, ms };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
