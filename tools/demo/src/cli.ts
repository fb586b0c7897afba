#!/usr/bin/env node
/**
 * `pnpm demo [--once] [--scenario N] [--keep-data] [--gateway URL] [--startup-timeout-ms MS] [--port-base N]
 *   [--data-dir DIR] [--database embedded|pglite] [--help]`
 * Starts the system (unless --gateway points at one already running, e.g. docker compose), runs the narrated
 * scenarios through the gateway, prints a summary and where to look, then keeps running until Ctrl+C
 * (--once: exit after the scenarios, non-zero if any failed). --port-base and --data-dir let two checkouts (or a test
 * and a demo) share a machine; the data dir's system.json lists every URL and PID.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startConsole, type ConsoleProcess } from './console-process';
import { postgresBinaries } from './embedded-postgres';
import { GatewayClient } from './gateway-client';
import { bold, dim, green, red, yellow, Narrator } from './narrator';
import { runScenarios, type ScenarioOutcome } from './run-scenarios';
import { scenarios } from './scenarios';
import {
  parseDatabaseEngine,
  parseStartupTimeoutMs,
  portsFromBase,
  startSystem,
  StartupError,
  type DatabaseEngine,
  type RunningSystem,
} from './system';

const { values } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    'keep-data': { type: 'boolean', default: false },
    gateway: { type: 'string' },
    // Per service; default DEMO_STARTUP_TIMEOUT_MS, else 60 s.
    'startup-timeout-ms': { type: 'string' },
    // Every port from N: services N…N+5, console N+6, gateway metrics N+7, local-aws N+8 (printed at start).
    'port-base': { type: 'string' },
    // Databases, logs, local-aws state and system.json; default .data in the repository.
    'data-dir': { type: 'string' },
    // embedded (default): one PostgreSQL server, a database per service; pglite: one PGlite in each service.
    database: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const USAGE = `pnpm demo [options]   (or: node tools/demo/dist/cli.js [options])
  --once                      run the scenarios and exit (non-zero if one failed)
  --scenario N[,M]            only these scenarios
  --keep-data                 keep the data dir (databases, local-aws state, logs) from the last run
  --gateway URL               narrate against a system started elsewhere (docker compose)
  --startup-timeout-ms MS     per service (default DEMO_STARTUP_TIMEOUT_MS, else 60000)
  --port-base N               services N…N+5, console N+6, gateway metrics N+7, local-aws N+8
  --data-dir DIR              default .data in the repository
  --database embedded|pglite  one embedded PostgreSQL with a database per service (default), or a PGlite per service`;

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

/** A bad value is the user's typo: one line and the usage, not a stack trace. */
function databaseFromArgs(): DatabaseEngine {
  try {
    return parseDatabaseEngine(values.database);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}
const requestedDatabase = databaseFromArgs();

const out = new Narrator();
const repoRoot = join(__dirname, '..', '..', '..');

function selectedScenarios() {
  if (!values.scenario?.length) return scenarios;
  const ids = values.scenario.flatMap((value) => value.split(',')).map(Number);
  const unknown = ids.filter((id) => !scenarios.some((scenario) => scenario.id === id));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')} (there are 1–${scenarios.length})`);
  return scenarios.filter((scenario) => ids.includes(scenario.id));
}

function printSummary(outcomes: ScenarioOutcome[]): void {
  out.heading('Summary');
  for (const { scenario, status, ms, error } of outcomes) {
    const mark = status === 'passed' ? green('✔') : status === 'failed' ? red('✘') : yellow('–');
    out.line(
      `  ${mark} ${String(scenario.id).padStart(2)}. ${scenario.title.padEnd(86).slice(0, 86)} ${dim(`${(ms / 1000).toFixed(1)} s`)}`,
    );
    if (error) out.line(`       ${red(error)}`);
  }
  const passed = outcomes.filter((o) => o.status === 'passed').length;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  out.line();
  out.line(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

function printUrls(system: RunningSystem, consoleUrl?: string): void {
  out.heading('Where to look');
  if (consoleUrl) out.figure("learner's console", consoleUrl);
  out.figure('gateway (the public API)', `${system.gatewayUrl}   docs: ${system.gatewayUrl}/docs`);
  for (const [name, port] of Object.entries(system.ports)) {
    if (name !== 'gateway') out.figure(`${name}-service`, `http://127.0.0.1:${port}/docs   /metrics   /health/ready`);
  }
  out.figure('local-aws (SNS + SQS) state', `${system.localAwsUrl}/_local/state`);
  out.figure('traces (waterfalls)', `${system.collector.url}/traces`);
  out.figure('service logs', `${system.logDir}/<service>.log`);
  out.figure('what runs where (URLs, PIDs)', join(system.dataDir, 'system.json'));
}

async function main(): Promise<number> {
  const selected = selectedScenarios();
  let system: RunningSystem | undefined;
  let learnersConsole: ConsoleProcess | undefined;
  if (!values.gateway) {
    let database = requestedDatabase;
    if (database === 'embedded' && !postgresBinaries()) {
      // An install without the optional platform package (Windows has none): the demo still runs, on PGlite.
      out.note(
        `no embedded PostgreSQL binary for ${process.platform}-${process.arch}: each service runs its own PGlite`,
      );
      database = 'pglite';
    }
    const engine = database === 'embedded' ? 'one embedded PostgreSQL' : 'PGlite';
    out.heading(`Starting Resilient Shop (no Docker: local-aws, ${engine}, six Node processes)`);
    const startedAt = Date.now();
    if (values['port-base']) {
      const layout = portsFromBase(Number(values['port-base']));
      const services = Object.entries(layout.services).map(([name, port]) => `${name} ${port}`);
      out.line(
        dim(
          `  ports from --port-base: ${services.join(', ')}, console ${layout.console}, ` +
            `gateway metrics ${layout.gatewayMetrics}, local-aws ${layout.localAws}`,
        ),
      );
    }
    try {
      system = await startSystem({
        repoRoot,
        keepData: values['keep-data'] ?? false,
        database,
        ...(values['port-base'] ? { ports: { base: Number(values['port-base']) } } : {}),
        ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
        ...(values['startup-timeout-ms']
          ? { startupTimeoutMs: parseStartupTimeoutMs(values['startup-timeout-ms'], '--startup-timeout-ms') }
          : {}),
        onProgress: (service, state, detail) => {
          const mark = state === 'ready' ? green('✔') : state === 'failed' ? red('✘') : dim('…');
          if (state !== 'starting' || !process.stdout.isTTY)
            out.line(`  ${mark} ${service.padEnd(18)} ${state} ${dim(detail ?? '')}`);
        },
      });
    } catch (error) {
      if (error instanceof StartupError) {
        out.fail(`${error.service} failed to start: ${error.reason}. Its last log lines:`);
        out.block(error.lastLines.join('\n'));
        return 1;
      }
      throw error;
    }
    out.pass(`system ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    if (!values.once) {
      try {
        learnersConsole = await startConsole(system, { repoRoot, port: system.consolePort });
        out.pass(`learner's console: open ${bold(learnersConsole.url)} to watch the scenarios (and run them again)`);
      } catch (error) {
        out.fail(`the console did not start (${(error as Error).message}); see ${system.logDir}/console.log`);
      }
    }
  }

  const gateway = new GatewayClient(values.gateway ?? system!.gatewayUrl, out);
  const run = () => runScenarios(selected, { gateway, out, system });
  const outcomes = learnersConsole ? await learnersConsole.exclusive(run) : await run();
  printSummary(outcomes);
  const failed = outcomes.some((outcome) => outcome.status === 'failed');

  if (values.once || !system) {
    await system?.stop();
    return failed ? 1 : 0;
  }
  printUrls(system, learnersConsole?.url);
  out.line();
  out.line(bold('Running. Press Ctrl+C to stop.'));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  out.line('stopping…');
  await learnersConsole?.close();
  await system.stop();
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    out.fail((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
