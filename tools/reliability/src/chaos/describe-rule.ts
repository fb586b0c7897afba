/** How the chaos log names a fault rule (the rules themselves go through @shop/testing's `setFaults`). */
import type { FaultRule } from '@shop/testing';

export function describeRule(rule: FaultRule): string {
  if (rule.down) return `down (${rule.down})`;
  const parts = [];
  if (rule.latencyMs) parts.push(`+${rule.latencyMs}±${rule.jitterMs ?? 0} ms`);
  if (rule.errorRate) parts.push(`${Math.round(rule.errorRate * 100)}% ${rule.errorStatus ?? 503}`);
  return parts.join(', ');
}
