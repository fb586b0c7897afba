/**
 * Where a saga's time goes, from the step log of confirmed orders: the wait from the order's creation to its first
 * step (the worker picking it up), each step's call (attempt start → finish, the participant's answer included), and
 * the engine's work between two steps (recording one outcome and starting the next). Means in ms over the orders.
 */
import type { ConfirmedOrder } from './place-order';

export type SagaPhases = Record<string, number>;

export function sagaPhases(orders: readonly ConfirmedOrder[]): SagaPhases {
  const sums = new Map<string, { total: number; count: number }>();
  const add = (phase: string, ms: number) => {
    if (!Number.isFinite(ms)) return;
    const sum = sums.get(phase) ?? { total: 0, count: 0 };
    sum.total += ms;
    sum.count++;
    sums.set(phase, sum);
  };
  for (const order of orders) {
    const steps = (order.saga?.steps ?? []).filter((step) => step.action === 'invoke' && step.finishedAt);
    if (!order.createdAt || steps.length === 0) continue;
    add('created → first step', Date.parse(steps[0]!.startedAt) - Date.parse(order.createdAt));
    steps.forEach((step, i) => {
      add(step.step, Date.parse(step.finishedAt!) - Date.parse(step.startedAt));
      const next = steps[i + 1];
      if (next) add('between steps', Date.parse(next.startedAt) - Date.parse(step.finishedAt!));
    });
    add('created → last step done', Date.parse(steps.at(-1)!.finishedAt!) - Date.parse(order.createdAt));
  }
  return Object.fromEntries([...sums].map(([phase, { total, count }]) => [phase, total / count]));
}
