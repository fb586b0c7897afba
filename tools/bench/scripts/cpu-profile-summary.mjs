#!/usr/bin/env node
// Self time per module and per function, in ms per confirmed order, of the profiles profile-saga.mjs wrote — only the
// samples inside its load window, so start-up and shutdown are left out.
// Usage: node scripts/cpu-profile-summary.mjs <out-dir> [top=25] [service]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, topArg = '25', only] = process.argv.slice(2);
if (!dir) throw new Error('usage: cpu-profile-summary.mjs <out-dir> [top] [service]');
const top = Number(topArg);
const { windowStart, windowEnd, pids, orders } = JSON.parse(readFileSync(join(dir, 'window.json'), 'utf8'));
const serviceOfPid = new Map(Object.entries(pids).map(([name, pid]) => [pid, name]));

/** `pkg@1.2.3:path` for a dependency, the repository path for our own code, `node:…` for Node's. */
const shortUrl = (url) =>
  url
    .replace(/.*node_modules\/\.pnpm\/([^/]+)\/node_modules\//, '$1:')
    .replace(/^file:\/\/.*?\/(packages|services|tools)\//, '$1/');
const moduleOf = (url, functionName) =>
  url === '' ? functionName : url.startsWith('node:') ? url : url.replace(/:.*$/, '').split('/').slice(0, 3).join('/');
const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);

for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
  // CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile
  const service = serviceOfPid.get(Number(file.split('.')[3]));
  if (!service || (only && service !== only)) continue;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  const byModule = new Map();
  let total = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < windowStart || time > windowEnd) continue;
    const { functionName, url, lineNumber } = nodes.get(profile.samples[i]).callFrame;
    if (functionName === '(idle)') continue;
    const weight = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    const short = shortUrl(url);
    total += weight;
    add(byFunction, `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`, weight);
    add(byModule, moduleOf(short, functionName), weight);
  }
  const perOrder = (us) => (us / 1000 / Math.max(1, orders)).toFixed(2).padStart(7);
  const print = (title, map, count) => {
    console.log(`-- ${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${perOrder(us)} ${key}`);
  };
  console.log(`\n=== ${service}: ${perOrder(total).trim()} ms/order sampled (${orders} orders)`);
  print('self time by module', byModule, 15);
  print('self time by function', byFunction, top);
}
