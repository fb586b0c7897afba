/** What a run measures and for how long, from the environment (BENCH_QUICK=1 for a short run). */

export interface BenchConfig {
  quick: boolean;
  levels: number[];
  durationMs: number;
  warmupMs: number;
  pollMs: number;
  failFastSamples: number;
  messagingEvents: number;
  messagingConcurrency: number;
  postgresUrl: string;
  /** The soak's measured length (after its warm-up). */
  soakMs: number;
  /**
   * Sections to run: saga (both modes, bare chain and fail-fast), soak (PGlite at half capacity), replicas (one vs
   * two order), messaging, packages, footprint (`pnpm demo`'s memory and start-up).
   */
  sections: Set<string>;
  writeDocs: boolean;
}

const ALL_SECTIONS = ['pglite', 'soak', 'postgres', 'replicas', 'messaging', 'packages', 'footprint'];

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}="${raw}": expected a positive integer`);
  return value;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const levels = (env.BENCH_LEVELS ?? (quick ? '1,4,8' : '1,4,8,16')).split(',').map((level) => {
    const value = Number(level.trim());
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`BENCH_LEVELS="${env.BENCH_LEVELS}": expected e.g. 1,4,8,16`);
    return value;
  });
  const sections = (env.BENCH_SECTIONS ?? ALL_SECTIONS.join(',')).split(',').map((s) => s.trim());
  const unknown = sections.filter((s) => !ALL_SECTIONS.includes(s));
  if (unknown.length) throw new Error(`BENCH_SECTIONS: unknown ${unknown.join(', ')} (use ${ALL_SECTIONS.join(', ')})`);
  return {
    quick,
    levels,
    durationMs: positiveInteger(env, 'BENCH_DURATION_MS', quick ? 4_000 : 10_000),
    warmupMs: positiveInteger(env, 'BENCH_WARMUP_MS', quick ? 1_000 : 2_000),
    pollMs: positiveInteger(env, 'BENCH_POLL_MS', 20),
    failFastSamples: positiveInteger(env, 'BENCH_FAIL_FAST_SAMPLES', quick ? 50 : 200),
    messagingEvents: positiveInteger(env, 'BENCH_MESSAGING_EVENTS', quick ? 100 : 500),
    messagingConcurrency: positiveInteger(env, 'BENCH_MESSAGING_CONCURRENCY', 8),
    postgresUrl: env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    soakMs: positiveInteger(env, 'BENCH_SOAK_MS', quick ? 60_000 : 300_000),
    sections: new Set(sections),
    writeDocs: env.BENCH_WRITE_DOCS !== '0',
  };
}
