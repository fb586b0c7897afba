/** docs/benchmarks.md: the machine, the exact commands, every table of the run, and the summary. */
import type { BenchConfig } from './bench-config';
import type { ServiceName } from '@shop/demo/dist/index';
import type { FootprintBenchResult } from './footprint-bench';
import type { CpuConsumer, SagaBenchResult } from './saga-bench';
import { LATE_START_MS, type SoakBenchResult, type SoakMemory } from './soak-bench';
import { SOAK_LOAD_SHARE } from './soak-figures';
import { machineLine, type MachineDescription } from './machine';
import { totalOf } from './stats';
import { markdownTable, summaryMarkdown, type BenchResults, type SummaryRow } from './summary';

export interface ReportInput {
  config: BenchConfig;
  machine: MachineDescription;
  startedAt: Date;
  totalSeconds: number;
  results: BenchResults;
  rows: SummaryRow[];
}

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function levelTable(run: SagaBenchResult): string {
  return markdownTable(
    [
      'customers',
      'waiting orders/s',
      'waiting p50 / p99 ms',
      'polling orders/s',
      'polling p50 / p99 ms',
      'saga failed',
      'bare orders/s',
      'bare p50 / p99 ms',
      'saga/bare (waiting)',
      'sagas running',
    ],
    run.bare.map((b, i) => {
      const w = run.sagaWaiting[i];
      const p = run.saga[i];
      return [
        String(b.concurrency),
        w ? n(w.throughput, 1) : '',
        w ? `${n(w.latency.p50)} / ${n(w.latency.p99)}` : '',
        p ? n(p.throughput, 1) : '',
        p ? `${n(p.latency.p50)} / ${n(p.latency.p99)}` : '',
        String((w?.failed ?? 0) + (p?.failed ?? 0)),
        n(b.throughput, 1),
        `${n(b.latency.p50)} / ${n(b.latency.p99)}`,
        w ? n(w.throughput / b.throughput, 2) : '',
        w?.sagasRunning !== undefined ? n(w.sagasRunning, 1) : '',
      ];
    }),
  );
}

/**
 * CPU ms per confirmed order, waiting client, per level: each service process, then the Postgres server (Postgres
 * mode) and this host process (local-aws, the customers); and the services' RSS after the scenarios.
 */
function costTable(run: SagaBenchResult): string {
  const services = Object.keys(run.rssMbAfter).length
    ? (Object.keys(run.rssMbAfter) as ServiceName[])
    : (Object.keys(run.sagaWaiting[0]?.cpuMsPerOrder ?? {}).filter(
        (name) => !(OTHER_CONSUMERS as readonly string[]).includes(name),
      ) as ServiceName[]);
  const others = OTHER_CONSUMERS.filter((name) => run.sagaWaiting.some((level) => name in level.cpuMsPerOrder));
  const consumers: CpuConsumer[] = [...services, ...others];
  const rows = run.sagaWaiting.map((level) => [
    `CPU ms/order, ${level.concurrency} customers`,
    ...consumers.map((name) => n(level.cpuMsPerOrder[name] ?? Number.NaN)),
  ]);
  rows.push([
    'RSS MB after the scenarios',
    ...services.map((name) => n(run.rssMbAfter[name] ?? Number.NaN)),
    ...others.map(() => ''),
  ]);
  return markdownTable(['', ...services, ...others.map((name) => OTHER_CONSUMER_LABELS[name])], rows);
}

const WORK_NOTE =
  'What an order asks of the databases and of SNS/SQS, waiting client, counted around each level (warm-up included) ' +
  "and divided by every order the level completed: each service's `db_round_trips_total` (a statement, a BEGIN, a " +
  "COMMIT — each a message to the server and a wait for its answer) and the bare chain's same count; local-aws's " +
  '`/_local/requests` per action. Unlike milliseconds these do not depend on the machine: on any machine the ' +
  'saga/bare ratio cannot beat the ratio of the work the two do per order.';

/** Database round trips and SNS/SQS calls per confirmed order, waiting client, per level, against the bare chain. */
function workTable(run: SagaBenchResult): string {
  const services = [
    ...new Set(run.sagaWaiting.flatMap((level) => Object.keys(level.roundTripsPerOrder))),
  ] as ServiceName[];
  const actions = [...new Set(run.sagaWaiting.flatMap((level) => Object.keys(level.awsCallsPerOrder)))].sort();
  return markdownTable(
    [
      'customers',
      ...services.map((name) => `${name} round trips`),
      'all services',
      'bare chain',
      'saga ÷ bare',
      'SNS/SQS calls',
      ...actions,
    ],
    run.sagaWaiting.map((level, i) => {
      const bare = run.bare[i] ? totalOf(run.bare[i]!.roundTripsPerOrder) : Number.NaN;
      const all = totalOf(level.roundTripsPerOrder);
      return [
        String(level.concurrency),
        ...services.map((name) => n(level.roundTripsPerOrder[name] ?? Number.NaN, 1)),
        n(all, 1),
        n(bare, 1),
        n(all / bare, 1),
        n(totalOf(level.awsCallsPerOrder), 1),
        ...actions.map((action) => n(level.awsCallsPerOrder[action] ?? 0, 1)),
      ];
    }),
  );
}

const OTHER_CONSUMERS: readonly ('postgres' | 'host')[] = ['postgres', 'host'];
const OTHER_CONSUMER_LABELS = { postgres: 'postgres server', host: 'bench host (local-aws, customers)' } as const;

const PHASES_NOTE =
  "Where a saga's time goes (waiting client, from the confirmed orders' step logs): a step runs from the moment the " +
  "previous step's outcome was recorded — its first attempt is opened in that same transaction — to its own outcome, " +
  "so it holds the participant's answer and the order side's commit; 'between steps' is engine work outside the " +
  'steps, zero since that merge.';

/** Mean ms per saga phase, waiting client, per level (from the confirmed orders' step logs). */
function phaseTable(run: SagaBenchResult): string {
  const phases = [...new Set(run.sagaWaiting.flatMap((level) => Object.keys(level.phases)))];
  return markdownTable(
    ['phase (mean ms)', ...run.sagaWaiting.map((level) => `${level.concurrency} customers`)],
    phases.map((phase) => [phase, ...run.sagaWaiting.map((level) => n(level.phases[phase] ?? Number.NaN, 1))]),
  );
}

/**
 * The saga figures before the scheduler, read-model and waiting-client work (docs/benchmarks.md of 2026-11-26, quick
 * run on Node 20; Postgres from the full run of the same week), kept so each run shows how far it has come.
 */
const BEFORE = {
  note:
    'pass-scoped worker lanes (0.8–0.9 sagas running with 4–7 waiting), `GET /orders/{id}` replaying the event stream ' +
    'and reading the step log in two queries, polling client every 20 ms',
  rows: [
    { mode: 'pglite', customers: 1, saga: 6.3, bare: 42.5 },
    { mode: 'pglite', customers: 4, saga: 5.8, bare: 81.0 },
    { mode: 'pglite', customers: 8, saga: 3.8, bare: 98.5 },
    { mode: 'postgres', customers: 1, saga: 7.5, bare: 45 },
    { mode: 'postgres', customers: 4, saga: 6.3, bare: 100 },
    { mode: 'postgres', customers: 8, saga: 7.0, bare: 123 },
  ],
} as const;

function beforeAfterTable(runs: readonly SagaBenchResult[]): string {
  return markdownTable(
    ['mode', 'customers', 'before orders/s', 'before saga/bare', 'now orders/s (waiting)', 'now saga/bare'],
    BEFORE.rows.map((before) => {
      const run = runs.find((candidate) => candidate.mode === before.mode);
      const index = run?.bare.findIndex((level) => level.concurrency === before.customers) ?? -1;
      const now = index >= 0 ? run!.sagaWaiting[index] : undefined;
      const bare = index >= 0 ? run!.bare[index] : undefined;
      return [
        before.mode,
        String(before.customers),
        n(before.saga, 1),
        n(before.saga / before.bare, 2),
        now ? n(now.throughput, 1) : 'not run',
        now && bare ? n(now.throughput / bare.throughput, 2) : '',
      ];
    }),
  );
}

function soakSection(soak: SoakBenchResult): string[] {
  const services = Object.keys(soak.rssMbStart) as (keyof SoakMemory)[];
  const growth = (name: keyof SoakMemory) => {
    const start = soak.rssMbStart[name] ?? Number.NaN;
    return `${n((((soak.rssMbEnd[name] ?? Number.NaN) - start) / start) * 100, 1)}%`;
  };
  return [
    "## Soak: half the capacity, open loop (the demo's system)",
    '',
    'A system of its own, started as `pnpm demo` starts it — one embedded Postgres with a database per service, the ' +
      "demo's Node flags — with the saga section's benchmark settings, held at " +
      `**${SOAK_LOAD_SHARE} × the capacity** measured on it just before: a closed-loop probe of 8 waiting customers. ` +
      '**Open loop**: orders arrive on a fixed schedule (one every 1000/rate ms, from 16 customers in turn) ' +
      'whatever the system answers, each the waiting client of the saga section. A closed loop would slow its arrivals ' +
      "down as the system slows and hide the queue (coordinated omission); here each order's time is measured from its " +
      '**scheduled** arrival to CONFIRMED, so a stall counts for every order that should have started during it. An ' +
      `arrival that finds ${soak.maxInFlight} orders still in flight is dropped and counted, so an overload cannot pile up ` +
      `without bound; "late" counts arrivals the driver started more than ${LATE_START_MS} ms after schedule (its lag, ` +
      'included in their latency). Orders are counted in the window of their scheduled arrival. RSS is read from /proc ' +
      "(for postgres the server's processes' summed PSS: each backend's RSS counts the shared buffers again) " +
      "after a warm-up of one window at the soak's rate (the processes reach their working size first) and again when the last order has settled; CPU ms/order is over the measured part.",
    '',
    `Rate ${n(soak.ordersPerSecond, 2)} orders/s (half of ${n(soak.capacity.ordersPerSecond, 1)} at ` +
      `${soak.capacity.customers} customers) for ${n(soak.durationMs / 1000)} s; ` +
      `${soak.dropped} dropped, ${soak.lateStarts} started late; p99 last/first window ${n(soak.drift.p99Ratio, 2)}, ` +
      `RSS ${n(soak.drift.rssMbStart)} → ${n(soak.drift.rssMbEnd)} MB (${n(soak.drift.rssGrowthPercent, 1)}%).`,
    '',
    markdownTable(
      ['window', 'confirmed', 'p50 ms', 'p99 ms', 'failed', 'dropped'],
      soak.windows.map((window) => [
        `${n(window.fromMs / 1000)}–${n(window.toMs / 1000)} s`,
        String(window.completed),
        n(window.latency.p50),
        n(window.latency.p99),
        String(window.failed),
        String(window.dropped),
      ]),
    ),
    '',
    markdownTable(
      ['', ...services],
      [
        ['RSS MB, start of the soak', ...services.map((name) => n(soak.rssMbStart[name] ?? Number.NaN))],
        ['RSS MB, end of the soak', ...services.map((name) => n(soak.rssMbEnd[name] ?? Number.NaN))],
        ['RSS growth', ...services.map(growth)],
        [
          'CPU ms/order',
          ...services.map((name) => (name === 'postgres' ? '' : n(soak.cpuMsPerOrder[name] ?? Number.NaN))),
        ],
      ],
    ),
    '',
    ...(soak.errors.length ? [`Failures seen: ${soak.errors.join('; ')}`, ''] : []),
  ];
}

function footprintSection({ runs }: FootprintBenchResult): string[] {
  return [
    "## Footprint: `pnpm demo`'s processes and start-up",
    '',
    "The system started the demo's way (free ports, a fresh data dir), the demo's scenarios run through the gateway, " +
      'then the memory of every process from `/proc/<pid>/smaps_rollup`: each service, the embedded postmaster and each ' +
      'of its children (backends, background workers), and this host process (local-aws, trace collector, the ' +
      "scenarios' client). RSS counts shared pages (Postgres's shared buffers, the node binary) once per process that " +
      'maps them; PSS divides them among those processes, so the PSS column adds up. Ready: `startSystem` until every ' +
      'service answers /health/ready, for a first start and then a second on the now warm machine.',
    '',
    ...runs.flatMap((run) => [
      `### ${run.database}: ready in ${n(run.readySeconds.first, 1)} s (first), ${n(run.readySeconds.warm, 1)} s (warm); ` +
        `scenarios ${run.scenarios.passed} passed, ${run.scenarios.failed.length} failed`,
      '',
      markdownTable(
        ['process', 'RSS MB', 'PSS MB'],
        [
          ...run.processes.map((p) => [p.name, n(p.rssMb), n(p.pssMb)]),
          ['**services and Postgres**', n(run.total.system.rssMb), n(run.total.system.pssMb)],
          ['**all, host included**', n(run.total.all.rssMb), n(run.total.all.pssMb)],
        ],
      ),
      '',
      ...(run.scenarios.failed.length ? [`Failed scenarios: ${run.scenarios.failed.join('; ')}`, ''] : []),
    ]),
  ];
}

export function reportDocument(input: ReportInput): string {
  const { config, results } = input;
  const settings =
    `levels ${config.levels.join(', ')} customers; ${config.durationMs / 1000} s measured per level after ${config.warmupMs / 1000} s warm-up; ` +
    `poll every ${config.pollMs} ms; fail-fast ${config.failFastSamples} POSTs per variant; soak ${config.soakMs / 1000} s; messaging ${config.messagingEvents} events per run`;
  const parts: string[] = [
    '# Benchmarks',
    '',
    `A real run of \`pnpm bench\` (${config.quick ? '**quick** run, `BENCH_QUICK=1`' : 'full run'}), written by \`tools/bench\` — ` +
      'rerun it to replace this file. Figures from a shared 2-core machine are noisy; compare ratios measured in the same run ' +
      'rather than absolute numbers across runs.',
    '',
    `- **Date**: ${input.startedAt.toISOString()} (whole run ${Math.round(input.totalSeconds)} s)`,
    `- **Machine**: ${machineLine(input.machine)}`,
    `- **Settings**: ${settings}`,
    '',
    '## Commands',
    '',
    '```bash',
    'pnpm install && pnpm bench                      # every benchmark (turbo builds first), ~15 min',
    'pnpm turbo run build --filter=@shop/bench...    # or: build once, then run just this package',
    'pnpm --filter @shop/bench bench                 # saga (PGlite + Postgres) vs bare chain, fail-fast, soak, messaging, package benches',
    'BENCH_QUICK=1 pnpm --filter @shop/bench bench   # short run, 60 s soak (~5 min)',
    '```',
    '',
    'Knobs (env): `BENCH_QUICK`, `BENCH_LEVELS` (1,4,8,16), `BENCH_DURATION_MS`, `BENCH_WARMUP_MS`, `BENCH_POLL_MS`, ' +
      '`BENCH_FAIL_FAST_SAMPLES`, `BENCH_SOAK_MS` (300000, quick 60000), `BENCH_MESSAGING_EVENTS`, ' +
      '`BENCH_MESSAGING_CONCURRENCY`, `BENCH_POSTGRES_URL` ' +
      '(postgres://postgres@127.0.0.1:5432/postgres; Postgres mode is skipped when it does not answer), ' +
      '`BENCH_SECTIONS` (pglite,soak,postgres,replicas,messaging,packages,footprint), `BENCH_WRITE_DOCS=0` (do not rewrite this file).',
    '',
    '## Summary',
    '',
    summaryMarkdown(input.rows),
    '',
    '## Saga throughput and latency vs the bare chain',
    '',
    'Closed loop: N virtual customers, each placing one order (`POST /api/orders` through the gateway, 1 × BENCH-ITEM) and ' +
      'following it until it is CONFIRMED, then the next — the **waiting client** with one `GET /api/orders/{id}` carrying ' +
      '`Prefer: wait=10` (answered when the checkout settles), the **polling client** with a GET every ' +
      `${config.pollMs} ms. **orders/s** counts orders ` +
      'started and confirmed inside the measured window; **p50/p99** is POST sent → CONFIRMED read, as the customer sees it ' +
      '(for the poller, up to one poll interval more). Orders not confirmed within 30 s count as failed. **sagas running** ' +
      "is the mean number of sagas in the order service's worker slots (the rate of `saga_worker_busy_seconds_total`). " +
      'The bare chain answers CONFIRMED on its first GET, so both clients are one and the same there.',
    '',
    '**The system**: `startSystem` from tools/demo — six service processes, local-aws in the benchmark process, the demo ' +
      'configuration (PARTICIPANT_TIMEOUT_MS 1000, SAGA_STEP_TIMEOUT_MS 10000) with these benchmark changes: gateway ' +
      '`RATE_LIMIT_MAX` raised out of the way, `LOG_LEVEL=warn`, `OTEL_TRACES_EXPORTER=none` (no span export), and in Postgres ' +
      'mode `DATABASE_URL` = one fresh database per service on the local server.',
    '',
    '**The bare chain** (`src/bare-chain/`): five plain Fastify processes — gateway → order → inventory, payment, shipping — ' +
      'with the **same HTTP hops** (client → gateway → order; order → inventory reserve, payment, shipping, inventory commit) ' +
      'and the **same number of database writes on the order side per step** (a step-start insert and a step-finish update ' +
      'around each of the four calls, plus the order insert and the final status update; one write per participant call), ' +
      'on the same `@shop/db` engine (PGlite files / Postgres). It has **none** of: JWT checks, schema validation, the saga ' +
      'engine (leases, persisted state, backoff, compensation), the event store and inline read model, idempotency keys, the ' +
      'outbox rows and their relay publishing to SNS, consumers, timeouts/retries/breakers, metrics. Its order runs ' +
      'synchronously inside the POST, so the first GET already reads CONFIRMED; the saga answers 202 at once and runs in ' +
      'the background. The ratio is therefore the price of all of that machinery, not of HTTP or SQL.',
    '',
  ];
  if (results.saga.length) {
    parts.push(
      '### Before and after the saga scheduler work',
      '',
      `Before: ${BEFORE.note}.`,
      '',
      beforeAfterTable(results.saga),
      '',
    );
  }
  for (const run of results.saga) {
    parts.push(
      `### ${run.mode === 'pglite' ? 'PGlite (embedded, one data directory per service)' : 'Postgres (one server, one database per service)'}`,
      '',
    );
    parts.push(
      levelTable(run),
      '',
      costTable(run),
      '',
      WORK_NOTE,
      '',
      workTable(run),
      '',
      PHASES_NOTE,
      '',
      phaseTable(run),
      '',
    );
    const failures = run.saga.flatMap((r) => r.errors);
    if (failures.length) parts.push(`Failures seen: ${[...new Set(failures)].join('; ')}`, '');
  }
  for (const skipped of results.skipped) parts.push(`- ${skipped}`, '');

  const failFast = results.saga.flatMap((run) => run.failFast.map((f) => ({ mode: run.mode, ...f })));
  if (failFast.length) {
    parts.push(
      '## Fail-fast: payment down, breaker open',
      '',
      'Payment gets a fault rule (`PUT /admin/faults`), orders keep coming (one every 200 ms) until the order service reports ' +
        '`circuit_breaker_state{downstream="payment"} 1` on `/metrics`; then the POSTs below are timed, and each order\'s ' +
        '`processPayment` step attempts are read from its saga step log (`GET /api/orders/{id}`). `POST /api/orders` answers ' +
        '202 before the saga runs, so its latency barely depends on payment; the step attempts are what the breaker makes ' +
        'fast. "Before open" are the attempts that tripped it (timeouts and retries inside one attempt). Half-open trial ' +
        'calls while the fault persists are included in "while open".',
      '',
      markdownTable(
        [
          'mode',
          'fault',
          'breaker open after',
          'POST p50 / p99 ms',
          'attempts while open: n, p50 / p99 ms',
          'attempts before open: n, p50 / p99 ms',
          'step timeout',
        ],
        failFast.map((f) => [
          f.mode,
          f.variant,
          `${n(f.openedAfterMs / 1000, 1)} s`,
          `${n(f.post.p50, 1)} / ${n(f.post.p99, 1)}`,
          `${f.attemptsWhileOpen.count}, ${n(f.attemptsWhileOpen.p50)} / ${n(f.attemptsWhileOpen.p99)}`,
          `${f.attemptsBeforeOpen.count}, ${n(f.attemptsBeforeOpen.p50)} / ${n(f.attemptsBeforeOpen.p99)}`,
          `${f.stepTimeoutMs} ms`,
        ]),
      ),
      '',
    );
  }

  if (results.soak) parts.push(...soakSection(results.soak));

  if (results.replicas) {
    const { customers, oneOrderReplica: one, twoOrderReplicas: two } = results.replicas;
    parts.push(
      '## Scaling out: one vs two order replicas',
      '',
      'The replica system of `pnpm test:replicas`: two replicas of every service, one Postgres database per service ' +
        'shared by its pair, one Redis shared by the two gateways, a round-robin TCP balancer in front of each pair. ' +
        `${customers} customers with the waiting client; first with order#1 stopped, then with it back. On one 2-core ` +
        'machine the twelve processes share the same two cores, so this shows that a second order replica takes work ' +
        '(its worker claims sagas beside the first), not what it would add on a machine of its own.',
      '',
      markdownTable(
        ['order replicas', 'orders/s', 'p50 / p99 ms', 'failed'],
        [
          ['1', n(one.throughput, 1), `${n(one.latency.p50)} / ${n(one.latency.p99)}`, String(one.failed)],
          ['2', n(two.throughput, 1), `${n(two.latency.p50)} / ${n(two.latency.p99)}`, String(two.failed)],
        ],
      ),
      '',
    );
  }

  if (results.footprint) parts.push(...footprintSection(results.footprint));

  if (results.messaging) {
    const { sequential, concurrent } = results.messaging;
    parts.push(
      '## Messaging: outbox commit → consumer handler',
      '',
      'In one process: local-aws (SNS + SQS, AWS SDK over HTTP), a producer and a consumer database (PGlite in memory), ' +
        'the real `createOutboxRelay` and `createConsumer`. Each sample commits a transaction enqueuing one `OrderPlaced`, ' +
        "calls `relay.wake()` as services do, and stops when the handler runs (inside the consumer's inbox transaction). " +
        'Path: outbox row → relay claim → SNS PublishBatch → SQS (filter policy) → long poll wakes → validate → inbox → handler.',
      '',
      markdownTable(
        ['run', 'events', 'p50 ms', 'p99 ms', 'max ms', 'events/s'],
        [
          [
            'sequential (one in flight)',
            String(sequential.count),
            n(sequential.p50, 2),
            n(sequential.p99, 2),
            n(sequential.max, 1),
            '',
          ],
          [
            `${concurrent.concurrency} producers at once`,
            String(concurrent.count),
            n(concurrent.p50, 2),
            n(concurrent.p99, 2),
            n(concurrent.max, 1),
            n(concurrent.eventsPerSecond, 0),
          ],
        ],
      ),
      '',
    );
  }

  if (results.packages.length) {
    parts.push('## Package benchmarks', '');
    for (const pkg of results.packages) {
      parts.push(`### ${pkg.name}: \`${pkg.command}\``, '', '```text', pkg.output.trim(), '```', '');
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
