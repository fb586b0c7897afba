/** Latency figures the way every section reports them: nearest-rank percentiles over the raw samples. */

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile (no interpolation): the value below which `p`% of the samples fall. NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const count = samples.length;
  const mean = count ? samples.reduce((sum, value) => sum + value, 0) / count : Number.NaN;
  return {
    count,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean,
    max: count ? Math.max(...samples) : Number.NaN,
  };
}

export const ms = (value: number, digits = 1): string =>
  Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';

/** The sum of a record's values (a per-service breakdown's total), missing entries as 0. */
export function totalOf(values: Partial<Record<string, number>>): number {
  return Object.values(values).reduce<number>((sum, value) => sum + (value ?? 0), 0);
}
