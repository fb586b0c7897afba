/**
 * `pnpm test:under-load [--package @shop/messaging] [--busy 2] [--limit 2]`: does a test suite still finish on a
 * loaded machine? Runs one package's jest suite on a quiet machine, then again beside `--busy` processes that spin
 * a CPU core each, and prints both wall times and their ratio. The claim it checks (issue #16): under two extra
 * busy loops a suite finishes — passing or failing — within `--limit`× its quiet time; it must never hang. A run that
 * outlives 3× the limit is killed and reported as a hang. Exit code 0 when the loaded run finished in time.
 *
 * Times are printed, never asserted inside a test: this is a measurement script, like the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  // `pnpm test:under-load -- --package …` hands the script a literal `--` (npm's habit; pnpm passes it through).
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    package: { type: 'string', default: '@shop/messaging' },
    busy: { type: 'string', default: '2' },
    limit: { type: 'string', default: '2' },
  },
});
const pkg = values.package;
const busyCount = Number(values.busy);
const limit = Number(values.limit);
const repoRoot = resolve(__dirname, '..', '..', '..', '..');

interface SuiteRun {
  seconds: number;
  exitCode: number | null;
  hung: boolean;
}

/** Runs the package's test script once; kills its whole process group after `killAfterMs`. */
function runSuite(killAfterMs: number): Promise<SuiteRun> {
  const startedAt = process.hrtime.bigint();
  const child = spawn('pnpm', ['--filter', pkg, 'test'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  return new Promise((done) => {
    let hung = false;
    const killer = setTimeout(() => {
      hung = true;
      killGroup(child);
    }, killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      done({ seconds: Number(process.hrtime.bigint() - startedAt) / 1e9, exitCode: code, hung });
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A process that keeps one core busy until it is killed. */
const busyLoop = (): ChildProcess => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });

const describe = (run: SuiteRun) =>
  `${run.seconds.toFixed(1)} s, ${run.hung ? 'killed (hung)' : run.exitCode === 0 ? 'passed' : `failed (exit ${run.exitCode})`}`;

/** Builds what the suite imports (not timed: only the suite itself is measured). */
function buildDependencies(): Promise<void> {
  const child = spawn('pnpm', ['turbo', 'run', 'build', `--filter=${pkg}...`, '--output-logs=errors-only'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  return new Promise((done, fail) =>
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`build exited ${code}`)))),
  );
}

async function main(): Promise<number> {
  console.log(`suite under load: ${pkg}, ${busyCount} busy loop(s), limit ${limit}× the quiet time`);
  await buildDependencies();
  const quiet = await runSuite(30 * 60_000);
  console.log(`  quiet:  ${describe(quiet)}`);

  const loops = Array.from({ length: busyCount }, busyLoop);
  let loaded: SuiteRun;
  try {
    loaded = await runSuite(quiet.seconds * limit * 3 * 1_000);
  } finally {
    for (const loop of loops) loop.kill('SIGKILL');
  }
  const ratio = loaded.seconds / quiet.seconds;
  console.log(`  loaded: ${describe(loaded)}`);
  console.log(`  ratio:  ${ratio.toFixed(2)}× (limit ${limit}×)`);
  const inTime = !loaded.hung && ratio <= limit;
  console.log(inTime ? '  finished within the limit' : '  did NOT finish within the limit');
  return inTime ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
