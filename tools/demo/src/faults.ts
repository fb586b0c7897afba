/** Fault injection on a running service (`PUT /admin/faults`, on because the demo starts services with FAULT_INJECTION=on). */
import { bearer } from '@shop/testing';
import { check } from './scenario';

export interface FaultRule {
  route: string;
  method?: string;
  latencyMs?: number;
  errorRate?: number;
  errorStatus?: number;
  down?: 'reset' | '503';
}

/**
 * Replaces the service's fault rules; an empty list clears them. `/admin/faults` is a service-only route, so the
 * call carries a service token signed with the run's secret.
 */
export async function setFaults(serviceUrl: string, rules: FaultRule[], jwtSecret: string): Promise<void> {
  const auth = bearer(jwtSecret, { sub: 'demo', role: 'service' });
  const response = await fetch(`${serviceUrl}/admin/faults`, {
    method: rules.length ? 'PUT' : 'DELETE',
    headers: rules.length ? { 'content-type': 'application/json', ...auth } : auth,
    body: rules.length ? JSON.stringify({ rules }) : undefined,
  });
  check(response.ok, `fault injection answered ${response.status}`);
}
