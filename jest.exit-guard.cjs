// A jest reporter that makes a run end, whatever it leaked. Jest waits after the last suite until nothing holds the
// event loop; a resource opened by a setup that timed out (a database, a service process's pipe, a relay's timer)
// holds it forever, and a CI run that should have failed hangs instead. After the run, this waits GRACE_MS with an
// unref'd timer — a process that exits cleanly never sees it fire — and otherwise says what happened and exits with
// the run's own result. Leaks are still bugs: `pnpm --filter <pkg> test -- --detectOpenHandles` shows where.
const GRACE_MS = Number(process.env.JEST_EXIT_GRACE_MS ?? 30_000);

class ExitGuard {
  onRunComplete(_contexts, results) {
    const code = results.success && results.numFailedTestSuites === 0 ? 0 : 1;
    setTimeout(() => {
      process.stderr.write(
        `jest-exit-guard: the run finished ${GRACE_MS / 1000} s ago but open handles kept jest alive; ` +
          `exiting with ${code} (${code === 0 ? 'the tests passed' : 'the run failed'}). ` +
          'Run the package with --detectOpenHandles to see what was left open.\n',
      );
      process.exit(code);
    }, GRACE_MS).unref();
  }
}

module.exports = ExitGuard;
