/**
 * The console end to end, in a real browser: Debian's Chromium driven by playwright-core, against the whole system
 * as `pnpm demo` runs it (six service processes on free ports, local-aws, the trace collector) with the console
 * started by the demo's own starter. A learner's session: place an order and see it CONFIRMED; make payment hang
 * and see the payment breaker open on the service map, then close again; put a poison message in a dead-letter
 * queue and redrive it; open the order's trace waterfall; run a scenario from the page. Throughout: no console
 * errors, no failed requests, every control labelled, keyboard reachable, readable at phone width.
 *
 * Waits are Playwright's own (a locator waiting for DOM state), never fixed sleeps. Screenshots go to
 * CONSOLE_SCREENSHOTS_DIR (`pnpm --filter @shop/console screenshots` writes the README's, in docs/console/).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePorts,
  startConsole,
  startSystem,
  type ConsoleProcess,
  type RunningSystem,
  type ServiceName,
} from '@shop/demo/dist/index';
import { clearFaults, createTestDatabase, CHROMIUM_ARGS, CHROMIUM_PATH, type TestDatabase } from '@shop/testing';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

const repoRoot = join(__dirname, '..', '..', '..');
const screenshots = process.env.CONSOLE_SCREENSHOTS_DIR ?? join(tmpdir(), 'console-screenshots');

/** Waits until the locator's text matches (Playwright polls the DOM); fails with what it saw. */
async function untilText(locator: Locator, pattern: RegExp, timeout = 30_000): Promise<void> {
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ timeout });
  } catch (error) {
    const seen = await locator
      .first()
      .textContent()
      .catch(() => '(nothing)');
    throw new Error(`expected ${pattern} but the page shows "${seen}"`, { cause: error });
  }
}

/** Controls without an accessible name: an input with no label, a button or link with no text or aria-label. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (element: Element): boolean => {
      if (element.getAttribute('aria-label')?.trim()) return true;
      const labelledBy = element.getAttribute('aria-labelledby');
      if (labelledBy && labelledBy.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim()))
        return true;
      if ('labels' in element && (element as HTMLInputElement).labels?.length) return true;
      return (
        (element.textContent ?? '').trim().length > 0 && !['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName)
      );
    };
    return [...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex="0"]')]
      .filter((element) => !(element as HTMLElement).closest('[hidden]') && !named(element))
      .map((element) => element.outerHTML.slice(0, 120));
  });
}

/**
 * With TEST_DATABASE_URL (as CI sets when a Postgres answers) each service gets a fresh database there, which starts
 * far faster than five PGlite instances on a busy machine; otherwise each uses PGlite in its data directory.
 */
async function databasesFor(databases: TestDatabase[]): Promise<Partial<Record<ServiceName, Record<string, string>>>> {
  if (!process.env.TEST_DATABASE_URL) return {};
  const env: Partial<Record<ServiceName, Record<string, string>>> = {};
  for (const service of ['order', 'user', 'inventory', 'payment', 'shipping'] as const) {
    const database = await createTestDatabase('postgres');
    databases.push(database);
    env[service] = { DATABASE_URL: database.url! };
  }
  return env;
}

const browserAvailable = existsSync(CHROMIUM_PATH);
if (!browserAvailable) {
  it.skip(`skipped: ${CHROMIUM_PATH} is absent — install Debian's browser with \`apt-get install -y chromium\``, () =>
    undefined);
}

(browserAvailable ? describe : describe.skip)("the learner's console in Chromium", () => {
  let dataDir: string;
  let profileDir: string;
  const databases: TestDatabase[] = [];
  let system: RunningSystem | undefined;
  let learnersConsole: ConsoleProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const unlabelled = new Set<string>();
  let orderId: string;

  const view = async (hash: string, heading: string) => {
    await page.getByRole('link', { name: heading, exact: true }).click();
    await page.waitForURL(new RegExp(`#${hash}`));
    await page.getByRole('heading', { level: 2, name: heading }).waitFor();
    for (const control of await unlabelledControls(page)) unlabelled.add(control);
  };
  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'console-e2e-'));
    profileDir = await mkdtemp(join(tmpdir(), 'console-e2e-chromium-'));
    await mkdir(screenshots, { recursive: true });
    const database = await databasesFor(databases);
    system = await startSystem({
      repoRoot,
      ports: 'dynamic',
      dataDir,
      keepData: false,
      onProgress: () => undefined,
      // Five PGlite services starting at once on a loaded CI machine can take minutes: be generous.
      startupTimeoutMs: 300_000,
      extraEnv: {
        ...database,
        gateway: { UPSTREAM_TIMEOUT_MS: '15000' },
        order: { ...database.order, PARTICIPANT_TIMEOUT_MS: '1500', SAGA_STEP_TIMEOUT_MS: '8000' },
        // Orders stay CONFIRMED long enough to be seen (the demo ships them after 0.8 s).
        shipping: { ...database.shipping, DISPATCH_DELAY_MS: '600000' },
      },
    });
    const [port] = await freePorts(1);
    learnersConsole = await startConsole(system, { repoRoot, port: port!, echo: () => undefined });
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('requestfailed', (request) => {
      // The event stream is cut when the page goes away; that is the end of the test, not a failure.
      if (!request.url().endsWith('/api/events'))
        failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400)
        failedRequests.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(learnersConsole!.url) && !url.startsWith('data:'))
        failedRequests.push(`left the console: ${url}`);
    });
    await page.goto(learnersConsole.url);
  }, 420_000);

  afterAll(async () => {
    // Each step on its own: a failure to close one thing must not leave the others running.
    await context?.close().catch(() => undefined);
    await learnersConsole?.close().catch(() => undefined);
    await system?.stop().catch(() => undefined);
    for (const database of databases) await database.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  }, 120_000);

  it('is reachable by keyboard: the first Tab lands on "Skip to content", which moves focus to the view', async () => {
    await page.getByRole('heading', { level: 2, name: 'Storefront' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('places an order in the storefront and sees it CONFIRMED', async () => {
    await page.getByRole('button', { name: 'Register' }).click();
    await untilText(page.getByRole('status').filter({ hasText: 'Registered' }), /Registered/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const quantity = page.getByLabel(/^Quantity of /).first();
    await quantity.waitFor();
    await quantity.fill('2');
    await page.getByRole('button', { name: 'Place order' }).click();
    const status = page.getByTestId('order-status').first();
    await untilText(status, /^CONFIRMED$/, 60_000);
    orderId = (await page.locator('[data-order-id]').first().getAttribute('data-order-id'))!;
    for (const control of await unlabelledControls(page)) unlabelled.add(control);
    await shot('storefront');
  }, 90_000);

  it("shows the order's saga: every step, the pivot, and the attempts with their idempotency keys", async () => {
    await page.locator(`[data-order-id="${orderId}"]`).getByRole('link', { name: 'saga timeline' }).click();
    await untilText(page.getByTestId('saga-state'), /^COMPLETED$/);
    const timeline = page.locator('.steps');
    await untilText(timeline, /processPayment/);
    expect(await timeline.textContent()).toContain(`key ${orderId}:processPayment`);
    expect(await page.locator('.kind-pivot.kind').textContent()).toBe('pivot');
    await shot('saga-timeline');
  }, 60_000);

  it('opens the payment breaker while payment hangs, and closes it once payment is healthy', async () => {
    /** Clicks a fault switch and waits for the page to show it set: the radio is checked once the service agreed. */
    const switchPayment = async (mode: 'Hanging' | 'Healthy') => {
      await view('faults', 'Fault switches');
      await page.getByRole('group', { name: 'Payment service' }).getByLabel(mode).click();
      await page.waitForFunction(
        (id) => document.querySelector<HTMLInputElement>(`#${id}`)?.checked === true,
        mode === 'Hanging' ? 'fault-payment-hanging' : 'fault-payment-normal',
      );
    };
    try {
      await switchPayment('Hanging');
      await shot('fault-switches');

      await page.getByRole('link', { name: 'Storefront', exact: true }).click();
      await page
        .getByLabel(/^Quantity of /)
        .first()
        .fill('1');
      await page.getByRole('button', { name: 'Place order' }).click();

      await view('map', 'Service map');
      const breaker = page.getByTestId('breaker-order-payment').locator('td').first();
      await untilText(breaker, /^open$/, 60_000);
      expect(await page.locator('[data-breaker="order:payment"]').getAttribute('data-state')).toBe('open');
      await shot('service-map');

      await switchPayment('Healthy');
      await view('map', 'Service map');
      await untilText(breaker, /^closed$/, 60_000);
    } finally {
      // Whatever happened above, the tests after this one need a healthy payment service.
      await clearFaults(system!.service('payment').baseUrl, { headers: system!.serviceAuth('console-test') });
    }
  }, 150_000);

  it('dead-letters a poison message with its reason, and redrives it', async () => {
    await view('queues', 'Queues');
    const depth = page.getByTestId('dlq-depth-user-service');
    await untilText(depth, /^0$/);
    await page.getByRole('button', { name: 'Send a poison message to user-service' }).click();
    await untilText(depth, /^1$/);
    await page.getByRole('button', { name: 'Show the dead letters of user-service' }).click();
    const letter = page.getByTestId('dead-letter').first();
    await letter.waitFor();
    expect(await letter.getByTestId('dead-letter-reason').textContent()).not.toBe('');
    expect(await letter.locator('pre.body').textContent()).toContain('not an envelope');
    await shot('queues');
    await letter.getByRole('button', { name: /^Redrive message / }).click();
    await untilText(page.getByRole('status').filter({ hasText: 'Moved' }), /Moved 1 message/);
    // Still unreadable, so the consumer parks it again: redrive is for messages whose cause was fixed.
    await untilText(depth, /^1$/);
  }, 90_000);

  it("opens the order's trace as a waterfall across the services", async () => {
    await page.goto(`${learnersConsole!.url}/#sagas/${orderId}`);
    await page.getByRole('link', { name: 'Open the trace of this order' }).click();
    const waterfall = page.locator('figure.waterfall');
    await waterfall.waitFor({ timeout: 30_000 });
    for (const service of ['gateway', 'order-service', 'inventory-service', 'payment-service', 'shipping-service']) {
      await page.locator(`.span[data-service="${service}"]`).first().waitFor({ timeout: 30_000 });
    }
    for (const control of await unlabelledControls(page)) unlabelled.add(control);
    await shot('trace-waterfall');
  }, 60_000);

  it('runs a demo scenario from the page and streams its narration', async () => {
    await view('scenarios', 'Scenarios');
    await page.getByRole('button', { name: /^Run scenario 3:/ }).click();
    await untilText(page.getByTestId('scenario-result-3'), /passed/, 90_000);
    expect(await page.locator('pre.narration').textContent()).toContain('POST  /api/orders');
    await shot('scenarios');
  }, 120_000);

  it('stays readable at phone width (no sideways scrolling)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [hash, heading] of [
      ['storefront', 'Storefront'],
      ['map', 'Service map'],
      ['sagas', 'Saga timeline'],
    ] as const) {
      await view(hash, heading);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(`${heading}: ${overflow}px wider than the screen`).toBe(`${heading}: 0px wider than the screen`);
    }
    await shot('phone-saga-timeline');
  }, 60_000);

  it('had no console errors and no failed requests, and every control has a label', () => {
    expect(consoleErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect([...unlabelled]).toEqual([]);
  });
});
