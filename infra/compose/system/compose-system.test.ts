/**
 * `docker compose up`, proved (`pnpm test:compose`): the stack comes up under a project name of its own with the
 * gateway on a free 127.0.0.1 port, the demo scenarios run through that published port and from the demo container,
 * the order container is SIGKILLed mid-saga and started again, and the order completes with exactly one payment;
 * the learner's console container serves its page to Chromium and works against the stack. Then `down -v` removes containers, network and volumes, also when something above failed.
 *
 * SNS/SQS: LocalStack (the default file) when its image is on this machine, otherwise the local-aws override;
 * COMPOSE_AWS=localstack or COMPOSE_AWS=local-aws chooses.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { followOrder, GatewayClient, getOrder, Narrator, newCustomer, placeOrder } from '@shop/demo/dist/index';
import { CHROMIUM_ARGS, CHROMIUM_PATH, eventually, LOCALSTACK_IMAGE, signTestToken } from '@shop/testing';
import { dockerEngineAnswers, findComposeCommand, runCompose, type ComposeProject } from '../src';

const repoRoot = join(__dirname, '..', '..', '..');
const MINUTE = 60_000;

function chosenAws(): 'localstack' | 'local-aws' {
  const asked = process.env.COMPOSE_AWS;
  if (asked === 'localstack' || asked === 'local-aws') return asked;
  const present = spawnSync('docker', ['image', 'inspect', LOCALSTACK_IMAGE], { stdio: 'ignore', timeout: 15_000 });
  return present.status === 0 ? 'localstack' : 'local-aws';
}

const aws = chosenAws();
if (aws === 'local-aws' && process.env.COMPOSE_AWS !== 'local-aws') {
  process.stdout.write(`${LOCALSTACK_IMAGE} is not on this machine: the stack runs on the local-aws override\n`);
}
const composeCommand = findComposeCommand();
const jwtSecret = randomBytes(48).toString('base64url');
const project: ComposeProject = {
  command: composeCommand ?? ['docker', 'compose'],
  files: ['docker-compose.yml', ...(aws === 'local-aws' ? ['docker-compose.local-aws.yml'] : [])],
  projectName: `shop-system-test-${randomBytes(3).toString('hex')}`,
  cwd: repoRoot,
  // The secret compose requires, generated like docs/docker.md says; 0 = a free port, so a stack already running on
  // 3000 and 16686 is not in the way.
  env: { JWT_SECRET: jwtSecret, GATEWAY_PORT: '0', JAEGER_UI_PORT: '0', CONSOLE_PORT: '0' },
};
const compose = (args: string[], timeoutMs = 2 * MINUTE) => runCompose(project, args, { timeoutMs });

async function expectCompose(args: string[], timeoutMs?: number): Promise<string> {
  const result = await compose(args, timeoutMs);
  if (result.code !== 0)
    throw new Error(`compose ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-4000)}`);
  return result.output;
}

/** A command inside a running service container, e.g. a fetch to an endpoint compose does not publish. */
const inService = (service: string, script: string) => expectCompose(['exec', '-T', service, 'node', '-e', script]);

/** Sets payment's fault rules (none: clears them) from inside its container; `/admin/faults` wants a service token. */
function setPaymentFaults(rules: object[]): Promise<string> {
  const token = signTestToken(jwtSecret, { sub: 'compose-test', role: 'service' });
  const request = rules.length
    ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) }
    : { method: 'DELETE', headers: {} };
  const init = { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
  return inService(
    'payment',
    `fetch('http://127.0.0.1:3004/admin/faults', ${JSON.stringify(init)})
       .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
  );
}

let gatewayUrl: string;
const out = new Narrator((line) => process.stdout.write(`  ${line}\n`));

beforeAll(async () => {
  if (!composeCommand) throw new Error('pnpm test:compose needs `docker compose` or `docker-compose` on PATH');
  if (!dockerEngineAnswers()) throw new Error('pnpm test:compose needs a Docker engine: `docker info` gets no answer');
  try {
    // `up gateway` starts the gateway and everything it depends on, in order, waiting for each healthcheck; not the
    // one-shot demo, which the test runs itself.
    await expectCompose(['up', '-d', '--build', 'gateway'], 30 * MINUTE);
    const published = (await expectCompose(['port', 'gateway', '3000'])).trim().split('\n').pop()!;
    gatewayUrl = `http://${published.replace('0.0.0.0', '127.0.0.1')}`;
    await eventually(
      async () => {
        if ((await fetch(`${gatewayUrl}/health/ready`)).status !== 200) throw new Error('gateway not ready');
      },
      { timeoutMs: 3 * MINUTE, intervalMs: 1_000 },
    );
  } catch (error) {
    process.stdout.write((await compose(['logs', '--tail', '40'])).output.slice(-12_000));
    throw error;
  }
}, 35 * MINUTE);

afterAll(async () => {
  const down = await compose(['down', '-v', '--remove-orphans', '--timeout', '10'], 5 * MINUTE);
  if (down.code !== 0) throw new Error(`compose down -v failed:\n${down.output}`);
}, 6 * MINUTE);

it(
  'runs the demo scenarios through the published gateway port (pnpm demo --gateway)',
  async () => {
    const demo = spawn(
      process.execPath,
      [join(repoRoot, 'tools', 'demo', 'dist', 'cli.js'), '--gateway', gatewayUrl, '--once'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => demo.kill('SIGKILL'), 8 * MINUTE);
    const code = await new Promise<number | null>((resolve) => demo.once('close', resolve));
    clearTimeout(timer);
    if (code !== 0) process.stdout.write(output);
    expect(code).toBe(0);
    expect(output).toMatch(/\d+ passed, 0 failed/);
  },
  10 * MINUTE,
);

it(
  'runs the demo container to a zero exit (docker compose run --rm demo)',
  async () => {
    const output = await expectCompose(['run', '--rm', 'demo'], 10 * MINUTE);
    expect(output).toMatch(/\d+ passed, 0 failed/);
  },
  11 * MINUTE,
);

it(
  'finishes an order with exactly one payment after the order container is SIGKILLed mid-saga',
  async () => {
    const context = { gateway: new GatewayClient(gatewayUrl, out), out };
    const customer = await newCustomer(context, 'Drill');
    // Slow payments (within the order service's call timeout) leave time to kill while a charge is in flight.
    await setPaymentFaults([{ route: '/payments', method: 'POST', latencyMs: 700 }]);
    try {
      const order = await placeOrder(context, customer, [{ sku: 'TEE-LOGO-M', quantity: 1 }]);
      await eventually(
        async () => {
          const current = await getOrder(context, customer, order.id);
          if (!current.saga?.steps.some((step) => step.step === 'processPayment' && !step.finishedAt)) {
            throw new Error(`saga not in processPayment yet (${current.status})`);
          }
        },
        // Often enough to catch the 700 ms charge in flight, seldom enough to stay within the gateway's rate limit.
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      await expectCompose(['kill', '-s', 'SIGKILL', 'order']);
      const state = await expectCompose(['ps', 'order']);
      expect(state).toMatch(/Exit 137|exited \(137\)/i);

      await expectCompose(['start', 'order']);
      // The gateway answers 503 until the restarted order container listens again: wait for it, then follow.
      await eventually(() => getOrder(context, customer, order.id), { timeoutMs: 3 * MINUTE, intervalMs: 1_000 });
      const done = await followOrder(
        context,
        customer,
        order.id,
        ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'],
        3 * MINUTE,
      );
      expect(done.status).not.toBe('CANCELLED');

      const captured = await expectCompose([
        'exec',
        '-T',
        'postgres',
        'psql',
        '-U',
        'postgres',
        '-d',
        'payment',
        '-tAc',
        `SELECT count(*) FROM payments WHERE order_id = '${order.id}' AND status = 'captured'`,
      ]);
      expect(captured.trim()).toBe('1');
    } finally {
      await setPaymentFaults([]);
    }
  },
  8 * MINUTE,
);

// The console's own browser test (apps/console/test/browser.test.ts) runs the whole learner's session against the
// system `pnpm demo` starts; this one proves the same console works from its container against the compose stack:
// the service-to-service URLs, its service token and the published port are compose's.
const browserAvailable = existsSync(CHROMIUM_PATH);
(browserAvailable ? it : it.skip)(
  browserAvailable
    ? "serves the learner's console from its container: an order CONFIRMED, the service map, a dead letter redriven"
    : `console under compose skipped: ${CHROMIUM_PATH} is absent (apt-get install -y chromium)`,
  async () => {
    await expectCompose(['up', '-d', 'console'], 10 * MINUTE);
    const published = (await expectCompose(['port', 'console', '3006'])).trim().split('\n').pop()!;
    const consoleUrl = `http://${published.replace('0.0.0.0', '127.0.0.1')}`;
    await eventually(
      async () => {
        if ((await fetch(`${consoleUrl}/health/ready`)).status !== 200) throw new Error('console not ready');
      },
      { timeoutMs: 3 * MINUTE, intervalMs: 1_000 },
    );
    const profileDir = await mkdtemp(join(tmpdir(), 'compose-console-chromium-'));
    const browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    const problems: string[] = [];
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('response', (response) => {
        if (response.status() >= 400)
          problems.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
      });
      await page.goto(consoleUrl);

      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('status').filter({ hasText: 'Registered' }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByLabel(/^Quantity of /)
        .first()
        .fill('1');
      await page.getByRole('button', { name: 'Place order' }).click();
      await page
        .getByTestId('order-status')
        .filter({ hasText: /^CONFIRMED$/ })
        .first()
        .waitFor({ timeout: 2 * MINUTE });

      await page.getByRole('link', { name: 'Service map', exact: true }).click();
      await page
        .getByTestId('breaker-order-payment')
        .locator('td')
        .filter({ hasText: /^closed$/ })
        .waitFor();

      await page.getByRole('link', { name: 'Queues', exact: true }).click();
      const depth = page.getByTestId('dlq-depth-user-service');
      await depth.filter({ hasText: /^0$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole('button', { name: 'Send a poison message to user-service' }).click();
      await depth.filter({ hasText: /^1$/ }).waitFor({ timeout: MINUTE });
      await page.getByRole('button', { name: 'Show the dead letters of user-service' }).click();
      await page
        .getByTestId('dead-letter')
        .first()
        .getByRole('button', { name: /^Redrive message / })
        .click();
      await page
        .getByRole('status')
        .filter({ hasText: /Moved 1 message/ })
        .waitFor({ timeout: MINUTE });
      expect(problems).toEqual([]);
    } finally {
      await browser.close().catch(() => undefined);
      await rm(profileDir, { recursive: true, force: true });
    }
  },
  12 * MINUTE,
);
