/**
 * A create is idempotent by orderId; the fingerprint tells a retry (same address and items) from a different request
 * reusing the orderId. JSON with sorted keys, so property order in the client's body does not matter.
 */
import { createHash } from 'node:crypto';
import type { CreateShipmentRequest } from './shipment';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestFingerprint(request: CreateShipmentRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
