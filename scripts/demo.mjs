#!/usr/bin/env node
// `pnpm demo`: starts the services that exist so far on embedded infrastructure (PGlite under .data/), waits until
// each is ready, runs a short scenario against them and prints where to look. `--once` exits after the scenario.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const once = process.argv.includes('--once');
const keepData = process.argv.includes('--keep-data');
const services = [{ name: 'user', port: 3002 }];
const children = [];

function start({ name, port }) {
  const child = spawn(process.execPath, [join(root, 'services', name, 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: join(root, '.data', name), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitUntilReady({ name, port }, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} during start-up`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms`);
}

async function scenario() {
  const base = 'http://127.0.0.1:3002';
  const email = `demo-${Date.now()}@example.com`;
  const body = { email, name: 'Demo User', password: 'demo password', shippingAddress: { line1: '1 Demo St', city: 'Demo', postalCode: '1000', country: 'GB' } };
  const post = () => fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const created = await post();
  console.log(`  POST /users → ${created.status} ${created.headers.get('location')}`);
  const again = await post();
  console.log(`  POST /users (same email) → ${again.status} ${(await again.json()).title}`);
  const invalid = await fetch(`${base}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"nope"}' });
  console.log(`  POST /users (invalid) → ${invalid.status} ${(await invalid.json()).detail}`);
  return created.status === 201 && again.status === 409 && invalid.status === 400;
}

function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}

process.on('SIGINT', () => {
  stopAll();
  process.exit(0);
});

try {
  if (!keepData) await rm(join(root, '.data'), { recursive: true, force: true });
  for (const service of services) {
    const child = start(service);
    await waitUntilReady(service, child);
    console.log(`✔ ${service.name}-service ready on http://127.0.0.1:${service.port} (docs: /docs)`);
  }
  console.log('\nScenario: register a user');
  const ok = await scenario();
  console.log(ok ? '✔ scenario passed' : '✘ scenario failed');
  if (once) {
    stopAll();
    process.exit(ok ? 0 : 1);
  }
  console.log('\nRunning. Press Ctrl+C to stop.');
} catch (error) {
  console.error(`✘ ${error.message}`);
  stopAll();
  process.exit(1);
}
