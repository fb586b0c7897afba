// Per-call overhead of our policies against cockatiel and opossum, on the success path and the fast-fail path.
// Run: pnpm --filter @shop/resilience bench   (compiles with tsc, then runs with --expose-gc)
import * as os from 'node:os';
import {
  BrokenCircuitError as CockatielBrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker as cockatielBreaker,
  handleAll,
  handleWhen,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  wrap,
} from 'cockatiel';
import OpossumBreaker from 'opossum';
import { CircuitBreaker, RetryPolicy, TimeoutPolicy, pipeline } from '../src';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TIMEOUT_MS = 10_000;

const work = async (): Promise<number> => 1;

interface Case {
  readonly name: string;
  /** One call; must swallow the expected fast-fail rejection itself. */
  readonly call: () => Promise<unknown>;
  readonly teardown?: () => void;
}

const activeTimers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Nanoseconds per call over `ITERATIONS` sequential awaited calls. */
async function timeRound(benchCase: Case): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await benchCase.call();
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

/**
 * Rounds are interleaved (every case once per round) so that drift on a shared machine hits all cases alike;
 * each case reports its fastest round: noise from other processes only ever adds time, so the minimum is the
 * steadiest estimate of the code's own cost.
 */
async function measureAll(cases: readonly Case[]): Promise<Map<string, { nsPerCall: number; timersLeft: number }>> {
  const timersBefore = activeTimers();
  for (const benchCase of cases) {
    for (let i = 0; i < ITERATIONS / 5; i++) await benchCase.call(); // warm-up: let the JIT settle
  }
  const rounds = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const timersLeft = new Map<string, number>(cases.map((c) => [c.name, 0]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const benchCase of cases) {
      rounds.get(benchCase.name)!.push(await timeRound(benchCase));
      // Timers still running right after a round (ref'd ones: they would keep the process alive).
      timersLeft.set(benchCase.name, Math.max(timersLeft.get(benchCase.name)!, activeTimers() - timersBefore));
    }
  }
  return new Map(
    cases.map((c) => [c.name, { nsPerCall: Math.min(...rounds.get(c.name)!), timersLeft: timersLeft.get(c.name)! }]),
  );
}

const swallow = (): undefined => undefined;

function oursBreaker(open: boolean): Case {
  const breaker = new CircuitBreaker({ name: 'bench' });
  if (open) breaker.isolate();
  return { name: `ours breaker${open ? ' (open)' : ''}`, call: () => breaker.execute(work).catch(swallow) };
}

function oursPipeline(open: boolean): Case {
  const breaker = new CircuitBreaker({ name: 'bench' });
  if (open) breaker.isolate();
  const policy = pipeline(new TimeoutPolicy(TIMEOUT_MS), new RetryPolicy({ maxAttempts: 3 }), breaker);
  return { name: `ours pipeline${open ? ' (open)' : ''}`, call: () => policy.execute(work).catch(swallow) };
}

function cockatielBreakerOnly(open: boolean): Case {
  const breaker = cockatielBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
  if (open) breaker.isolate();
  return { name: `cockatiel breaker${open ? ' (open)' : ''}`, call: () => breaker.execute(work).catch(swallow) };
}

function cockatielPipeline(open: boolean): Case {
  const breaker = cockatielBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
  if (open) breaker.isolate();
  const policy = wrap(
    cockatielTimeout(TIMEOUT_MS, TimeoutStrategy.Cooperative),
    // Like ours by default: an open circuit is not retried.
    cockatielRetry(
      handleWhen((error) => !(error instanceof CockatielBrokenCircuitError)),
      { maxAttempts: 2, backoff: new ExponentialBackoff() },
    ),
    breaker,
  );
  return { name: `cockatiel pipeline${open ? ' (open)' : ''}`, call: () => policy.execute(work).catch(swallow) };
}

/** opossum has no retry policy; its breaker with the timeout option is its equivalent of the pipeline. */
function opossumBreaker(open: boolean, withTimeout: boolean): Case {
  const breaker = new OpossumBreaker(work, { timeout: withTimeout ? TIMEOUT_MS : false });
  if (open) breaker.open();
  return {
    name: `opossum ${withTimeout ? 'breaker+timeout' : 'breaker'}${open ? ' (open)' : ''}`,
    call: () => breaker.fire().catch(swallow),
    teardown: () => breaker.shutdown(),
  };
}

async function main(): Promise<void> {
  const cases: Case[] = [
    // Every case ends in .catch(swallow) (the open paths reject), the baseline included, so overhead is like for like.
    { name: 'bare async call', call: () => work().catch(swallow) },
    oursBreaker(false),
    cockatielBreakerOnly(false),
    opossumBreaker(false, false),
    oursPipeline(false),
    cockatielPipeline(false),
    opossumBreaker(false, true),
    oursBreaker(true),
    cockatielBreakerOnly(true),
    opossumBreaker(true, false),
    oursPipeline(true),
    cockatielPipeline(true),
    opossumBreaker(true, true),
  ];
  console.log(
    `Node ${process.version}, ${os.type()} ${os.release()}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}; ` +
      `${ITERATIONS} sequential calls × ${ROUNDS} interleaved rounds (fastest round), after warm-up\n`,
  );
  const results = await measureAll(cases);
  for (const benchCase of cases) benchCase.teardown?.();
  const bare = results.get('bare async call')!.nsPerCall;
  console.log('case                               ns/call   overhead ns   timers left');
  for (const [name, { nsPerCall, timersLeft }] of results) {
    const overhead = name === 'bare async call' ? '' : (nsPerCall - bare).toFixed(0);
    console.log(
      `${name.padEnd(32)} ${nsPerCall.toFixed(0).padStart(8)} ${overhead.padStart(13)} ${String(timersLeft).padStart(13)}`,
    );
  }
  const overhead = (name: string): number => results.get(name)!.nsPerCall - bare;
  const ratio = (ours: string, theirs: string): string =>
    `${ours} / ${theirs}: ${(overhead(ours) / overhead(theirs)).toFixed(2)}×`;
  console.log('\nOverhead ratios (ours / theirs, lower is better):');
  for (const line of [
    ratio('ours breaker', 'cockatiel breaker'),
    ratio('ours breaker', 'opossum breaker'),
    ratio('ours pipeline', 'cockatiel pipeline'),
    ratio('ours pipeline', 'opossum breaker+timeout'),
    ratio('ours pipeline (open)', 'cockatiel pipeline (open)'),
    ratio('ours pipeline (open)', 'opossum breaker+timeout (open)'),
  ]) {
    console.log(`  ${line}`);
  }
}

void main();
