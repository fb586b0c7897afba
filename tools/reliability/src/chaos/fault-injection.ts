/** Drives a service's `/admin/faults` (service-kit fault injection, FAULT_INJECTION=on; a service-only route). */
import { bearer } from '@shop/testing';
export interface FaultRule {
  route: string;
  method?: string;
  latencyMs?: number;
  jitterMs?: number;
  errorRate?: number;
  errorStatus?: number;
  down?: 'reset' | '503';
}

export async function setFaults(serviceUrl: string, rules: FaultRule[], jwtSecret: string): Promise<void> {
  const auth = bearer(jwtSecret, { sub: 'chaos', role: 'service' });
  const response = await fetch(`${serviceUrl}/admin/faults`, {
    method: rules.length ? 'PUT' : 'DELETE',
    headers: rules.length ? { 'content-type': 'application/json', ...auth } : auth,
    body: rules.length ? JSON.stringify({ rules }) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`${serviceUrl}/admin/faults answered ${response.status}: ${await response.text()}`);
}

export function describeRule(rule: FaultRule): string {
  if (rule.down) return `down (${rule.down})`;
  const parts = [];
  if (rule.latencyMs) parts.push(`+${rule.latencyMs}±${rule.jitterMs ?? 0} ms`);
  if (rule.errorRate) parts.push(`${Math.round(rule.errorRate * 100)}% ${rule.errorStatus ?? 503}`);
  return parts.join(', ');
}
