#!/usr/bin/env node
// `node scripts/build-with-progress.mjs <package>` — builds <package> and the workspace packages it depends on
// with turbo, printing one line per package as it is built (or found in turbo's cache), so a first `pnpm demo`
// shows progress instead of a silent terminal. Plain JavaScript: it runs before anything is compiled.
// On a failed build turbo's output for the failing package is printed in full.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const target = process.argv[2];
if (!target) {
  console.error('usage: build-with-progress.mjs <package name>');
  process.exit(2);
}
const filter = `--filter=${target}...`;
const turbo = (args, options) => spawn('pnpm', ['exec', 'turbo', 'run', 'build', filter, ...args], options);

// The task list first (a dry run reads the task graph and hashes inputs; it builds nothing).
const dry = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', filter, '--dry=json'], { encoding: 'utf8' });
const tasks = dry.status === 0 ? JSON.parse(dry.stdout.slice(dry.stdout.indexOf('{'))).tasks : [];
const total = tasks.length;
const cached = tasks.filter((task) => task.cache?.status === 'HIT').length;
const startedAt = Date.now();
const seconds = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

if (total > 0 && cached === total) {
  console.log(`  ✔ build: all ${total} packages up to date`);
  process.exit(0);
}
console.log(`  … build: ${total - cached} of ${total} packages to compile`);

const child = turbo(['--output-logs=new-only', '--log-order=grouped', '--log-prefix=task'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
const output = [];
let seen = 0;
const announced = new Set();
for (const stream of [child.stdout, child.stderr]) {
  createInterface({ input: stream }).on('line', (line) => {
    output.push(line);
    // turbo prefixes every line of a task with `<package>:build: ` and, with --log-order=grouped, prints a task's
    // lines when it finishes: the first line of a package marks its build done.
    const match = /^(@?[\w./-]+):build: /.exec(line);
    if (!match || announced.has(match[1])) return;
    announced.add(match[1]);
    seen += 1;
    const hit = /cache hit/.test(line);
    console.log(`  ✔ built [${String(seen).padStart(2)}/${total}] ${match[1]}${hit ? ' (cached)' : ''}  ${seconds()}`);
  });
}
child.on('exit', (code) => {
  if (code === 0) {
    console.log(`  ✔ build: ${total} packages ready in ${seconds()}`);
  } else {
    console.error(output.join('\n'));
    console.error(`  ✘ build failed (turbo exit code ${code}); the output above names the failing package`);
  }
  process.exit(code ?? 1);
});
