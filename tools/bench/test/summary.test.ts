import { benchConfig } from '../src/bench-config';
import { localAwsFigures, resilienceFigures } from '../src/package-benches';
import { summaryRows, textTable } from '../src/summary';
import type { ClosedLoopResult } from '../src/closed-loop';
import type { FootprintRun } from '../src/footprint-bench';
import type { SagaLevelResult } from '../src/saga-bench';
import type { SoakBenchResult } from '../src/soak-bench';

const level = (concurrency: number, throughput: number, p50: number): ClosedLoopResult => ({
  concurrency,
  completed: throughput * 10,
  allCompleted: throughput * 12,
  failed: 0,
  throughput,
  latency: { count: throughput * 10, p50, p99: p50 * 2, mean: p50, max: p50 * 3 },
  errors: [],
});
const system = (concurrency: number, throughput: number, p50: number): SagaLevelResult => ({
  ...level(concurrency, throughput, p50),
  cpuMsPerOrder: { order: 20 },
  roundTripsPerOrder: { order: 60, inventory: 15 },
  awsCallsPerOrder: { 'sns:PublishBatch': 6 },
  phases: { reserveInventory: 10 },
  sagasRunning: concurrency / 2,
});
const latency = (p50: number, p99: number, count = 10) => ({ count, p50, p99, mean: p50, max: p99 });

describe('summary rows', () => {
  const rows = summaryRows({
    saga: [
      {
        mode: 'postgres',
        saga: [system(1, 4, 300), system(4, 6, 500)],
        sagaWaiting: [system(1, 6, 70), system(4, 9, 400)],
        bare: [
          { ...level(1, 10, 40), roundTripsPerOrder: { order: 10, inventory: 5 } },
          { ...level(4, 30, 120), roundTripsPerOrder: { order: 10, inventory: 5 } },
        ],
        rssMbAfter: { order: 300, inventory: 250 },
        failFast: [
          {
            variant: 'payment answers 503',
            openedAfterMs: 2_000,
            post: latency(12, 40),
            attemptsWhileOpen: latency(3, 9),
            attemptsBeforeOpen: latency(600, 900),
            stepTimeoutMs: 10_000,
          },
        ],
      },
    ],
    skipped: ['Postgres mode skipped: no server'],
    packages: [],
  });

  const find = (metric: string) => rows.find((row) => row.metric === metric);

  it('gives the saga/bare throughput ratio per level of the waiting client against the 0.5 target on Postgres', () => {
    expect(find('postgres: orders/s to CONFIRMED, 1 customers, waiting client')).toMatchObject({
      ratio: '0.60',
      pass: true,
    });
    expect(find('postgres: orders/s to CONFIRMED, 4 customers, waiting client')).toMatchObject({
      ratio: '0.30',
      pass: false,
    });
    const polling = find('postgres: orders/s to CONFIRMED, 1 customers, polling client');
    expect(polling).toMatchObject({ ratio: '0.40', target: '' });
    expect(polling!.pass).toBeUndefined(); // informational: the target is the waiting client's
  });

  it('judges the waiting client at one customer against 2× the bare chain’s p50, and shows the processes’ memory', () => {
    expect(find('postgres: p50 / p99 time to CONFIRMED, 1 customers, waiting client')).toMatchObject({
      ratio: '1.75',
      target: 'p50 ≤ 2×',
      pass: true,
    });
    // The 1.2 GB target is the demo system's (the footprint section), not this one's at Node's default flags.
    const rss = find('postgres: RSS of the six service processes after the scenarios');
    expect(rss).toMatchObject({ value: '550 MB', target: '' });
    expect(rss!.pass).toBeUndefined();
  });

  it('shows the database round trips per order against the bare chain’s, not judged', () => {
    const work = find('postgres: database round trips per order, 1 customers, waiting client');
    expect(work).toMatchObject({ value: '75.0', baseline: '15.0 (bare)', ratio: '5.0', target: '' });
    expect(work!.pass).toBeUndefined();
  });

  it('judges fail-fast against 5% of the step timeout, for the POST and for the step attempts', () => {
    const failFast = rows.filter((row) => row.metric.includes('breaker open'));
    expect(failFast.map((row) => [row.target, row.pass])).toEqual([
      ['≤ 500 ms', true],
      ['≤ 500 ms', true],
    ]);
  });

  it('says what was skipped, and prints as an aligned table', () => {
    expect(rows.some((row) => row.metric === 'Postgres mode skipped: no server')).toBe(true);
    const lines = textTable(rows).split('\n');
    expect(lines[0]).toMatch(/^metric\s+value\s+baseline\s+ratio\s+target\s+result$/);
    expect(lines[2]!.slice(lines[0]!.indexOf('value')).startsWith(rows[0]!.value)).toBe(true);
  });
});

describe('soak rows', () => {
  const soak = (p99s: number[], rssMbStart: number, rssMbEnd: number): SoakBenchResult => ({
    ordersPerSecond: 5,
    capacity: { ordersPerSecond: 10, customers: 8 },
    durationMs: 300_000,
    windowMs: 60_000,
    maxInFlight: 64,
    windows: p99s.map((p99, i) => ({
      fromMs: i * 60_000,
      toMs: (i + 1) * 60_000,
      completed: 300,
      failed: 0,
      dropped: 0,
      latency: latency(p99 / 2, p99, 300),
    })),
    completed: 300 * p99s.length,
    failed: 1,
    dropped: 2,
    lateStarts: 0,
    errors: [],
    rssMbStart: { order: rssMbStart },
    rssMbEnd: { order: rssMbEnd },
    cpuMsPerOrder: { order: 20 },
    drift: {
      p99Ratio: p99s.at(-1)! / p99s[0]!,
      rssMbStart,
      rssMbEnd,
      rssGrowthPercent: ((rssMbEnd - rssMbStart) / rssMbStart) * 100,
    },
  });
  const soakRows = (result: SoakBenchResult) =>
    summaryRows({ saga: [], soak: result, skipped: [], packages: [] }).filter((row) => row.metric.includes('soak'));

  it('judges the last window’s p99 against 1.5× the first’s and the RSS growth against 10%', () => {
    const [p99, rss, orders] = soakRows(soak([100, 300, 140], 500, 540));
    expect(p99).toMatchObject({ value: '140 ms', baseline: '100 ms (first window)', ratio: '1.40', pass: true });
    expect(rss).toMatchObject({ value: '540 MB', baseline: '500 MB (start)', ratio: '+8.0%', pass: true });
    expect(orders).toMatchObject({ value: '900 / 1 / 2', baseline: 'half of 10.0 orders/s (probe, 8 customers)' });
    expect(orders!.pass).toBeUndefined();
  });

  it('fails a p99 that grew past 1.5×, memory that grew by 10% or more, and a window without orders', () => {
    const [p99, rss] = soakRows(soak([100, 160], 500, 550));
    expect([p99!.pass, rss!.pass]).toEqual([false, false]);
    expect(soakRows(soak([Number.NaN, 100], 500, 500))[0]).toMatchObject({ ratio: 'n/a', pass: false });
  });
});

describe('package benchmark figures', () => {
  it('picks the overhead ratios and per-call overheads from the resilience output', () => {
    const output = [
      'case                               ns/call   overhead ns   timers left',
      'ours pipeline                         812           640             0',
      'ours pipeline (open)                  301           129             0',
      '',
      'Overhead ratios (ours / theirs, lower is better):',
      '  ours pipeline / cockatiel pipeline: 0.84×',
    ].join('\n');
    expect(resilienceFigures(output)).toEqual([
      { label: 'overhead ours pipeline / cockatiel pipeline', value: '0.84×', target: '≤ 1 (lower is better)' },
      { label: 'ours pipeline overhead per call', value: '640 ns' },
      { label: 'ours pipeline (open) overhead per call', value: '129 ns' },
    ]);
  });

  it('picks the rows of the local-aws table', () => {
    const output = [
      'measure                                 result  target',
      'SendMessage → long-poll wake-up p50            1.20 ms  < 5 ms',
      'batches of 10, 1 connection, raw HTTP     9,876 msgs/s  ≥ 5,000 msgs/s',
      'SNS Publish → SQS delivery p50                 2.00 ms  ',
    ].join('\n');
    expect(localAwsFigures(output)).toEqual([
      { label: 'local-aws SendMessage → long-poll wake-up p50', value: '1.20 ms', target: '< 5 ms' },
      { label: 'local-aws batches of 10, 1 connection, raw HTTP', value: '9,876 msgs/s', target: '≥ 5,000 msgs/s' },
      { label: 'local-aws SNS Publish → SQS delivery p50', value: '2.00 ms', target: undefined },
    ]);
  });
});

describe('footprint rows', () => {
  const run = (database: 'embedded' | 'pglite', systemRss: number, warm: number): FootprintRun => ({
    database,
    readySeconds: { first: warm - 1, warm },
    scenarios: { passed: 8, failed: [] },
    processes: [],
    total: {
      system: { rssMb: systemRss, pssMb: systemRss / 2 },
      all: { rssMb: systemRss + 100, pssMb: systemRss / 2 },
    },
  });
  const rows = summaryRows({
    saga: [],
    skipped: [],
    packages: [],
    footprint: { runs: [run('embedded', 900, 6), run('pglite', 2_400, 32)] },
  });

  it("holds the demo's engine to 1.2 GB and 10 s warm, against the PGlite baseline of the same run", () => {
    const rss = rows.find((row) => row.metric.startsWith('footprint (embedded): RSS'))!;
    expect(rss).toMatchObject({ value: '900 MB', baseline: '2400 MB (pglite)', ratio: '0.38', pass: true });
    expect(rows.find((row) => row.metric.startsWith('footprint (embedded): system ready'))).toMatchObject({
      value: '6.0 s',
      pass: true,
    });
  });

  it('reports the PGlite baseline without holding it to the targets', () => {
    const baseline = rows.filter((row) => row.metric.startsWith('footprint (pglite)'));
    const targetsOf = (metric: string) =>
      baseline.filter((row) => row.metric.includes(metric)).map((row) => row.target);
    expect([...targetsOf('RSS of the services'), ...targetsOf('system ready')]).toEqual(['', '']);
    expect(baseline.every((row) => row.pass !== false)).toBe(true);
  });
});

describe('benchConfig', () => {
  it('defaults to the full run and shortens everything with BENCH_QUICK=1', () => {
    expect(benchConfig({})).toMatchObject({ quick: false, levels: [1, 4, 8, 16], durationMs: 10_000 });
    expect(benchConfig({ BENCH_QUICK: '1' })).toMatchObject({ quick: true, levels: [1, 4, 8], durationMs: 4_000 });
  });

  it('soaks five minutes, one in a quick run, or BENCH_SOAK_MS; soak is one of the default sections', () => {
    expect(benchConfig({}).soakMs).toBe(300_000);
    expect(benchConfig({ BENCH_QUICK: '1' }).soakMs).toBe(60_000);
    expect(benchConfig({ BENCH_QUICK: '1', BENCH_SOAK_MS: '120000' }).soakMs).toBe(120_000);
    expect(benchConfig({}).sections.has('soak')).toBe(true);
    expect(() => benchConfig({ BENCH_SOAK_MS: '1.5' })).toThrow(/BENCH_SOAK_MS/);
  });

  it('refuses bad values with the variable named', () => {
    expect(() => benchConfig({ BENCH_LEVELS: '1,x' })).toThrow(/BENCH_LEVELS/);
    expect(() => benchConfig({ BENCH_DURATION_MS: '-5' })).toThrow(/BENCH_DURATION_MS/);
    expect(() => benchConfig({ BENCH_SECTIONS: 'saga' })).toThrow(/BENCH_SECTIONS/);
  });
});
