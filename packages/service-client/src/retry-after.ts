// Parses the HTTP Retry-After header: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3).

export function parseRetryAfter(value: string | null, nowEpochMs: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  // HTTP-dates always name a day or month; this keeps Date.parse from reading '-1' as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowEpochMs);
}
