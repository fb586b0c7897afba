/**
 * Canonical JSON: one text for one value, whatever order its object keys arrived in — what "the same request"
 * means wherever a repeat must be told from a different request (an Idempotency-Key's fingerprint, a create that is
 * idempotent by natural key). One implementation, here in the leaf package every service already depends on.
 *
 * - object keys sorted by UTF-16 code unit (never by locale: the same text on every machine);
 * - arrays keep their order (`[1, 2]` and `[2, 1]` are different requests);
 * - a property whose value is `undefined` is left out, as `JSON.stringify` leaves it out — so an optional field
 *   sent as absent and one set to `undefined` are the same request; `null` is kept;
 * - numbers, strings and `toJSON` values (dates) are written exactly as `JSON.stringify` writes them.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** SHA-256 (hex) of the canonical JSON: what idempotency records store and compare. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

// `undefined` for what JSON has no text for (undefined, functions, symbols): left out of objects, null in arrays.
function write(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort(byCodeUnit)
      .flatMap((key) => {
        const item = write((value as Record<string, unknown>)[key]);
        return item === undefined ? [] : [`${JSON.stringify(key)}:${item}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
