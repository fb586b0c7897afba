/**
 * Starts the bare chain (see bare-service.ts): inventory, payment, shipping, then order, then gateway, each its own
 * process on a port the OS picks, PGlite under a temporary directory or one Postgres database per service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type BareRole = 'gateway' | 'order' | 'inventory' | 'payment' | 'shipping';
export const BARE_ROLES: BareRole[] = ['gateway', 'order', 'inventory', 'payment', 'shipping'];

export interface BareChain {
  readonly gatewayUrl: string;
  /** Database round trips of every role so far (each serves `GET /_bare/round-trips`). */
  roundTrips(): Promise<Partial<Record<BareRole, number>>>;
  stop(): Promise<void>;
}

interface Started {
  child: ChildProcess;
  url: string;
}

function startOne(role: BareRole, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [join(__dirname, 'bare-service.js')], {
    env: { PATH: process.env.PATH ?? '', ...env, BARE_ROLE: role },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare ${role} not ready within 60 s`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^BARE_READY (\d+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare ${role} exited with ${code}: ${stderr.slice(-5).join(' | ')}`));
    });
  });
}

async function stopOne({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}

/** `databaseUrls`: one Postgres URL per role that has a database; PGlite in a temporary directory when omitted. */
export async function startBareChain(databaseUrls?: Partial<Record<BareRole, string>>): Promise<BareChain> {
  const dataRoot = databaseUrls ? undefined : await mkdtemp(join(tmpdir(), 'shop-bare-chain-'));
  const dbEnv = (role: BareRole): Record<string, string> =>
    databaseUrls ? { DATABASE_URL: databaseUrls[role]! } : { BARE_DATA_DIR: join(dataRoot!, role) };
  const started: Started[] = [];
  const stop = async () => {
    for (const one of started.reverse()) await stopOne(one);
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  };
  try {
    const [inventory, payment, shipping] = await Promise.all(
      (['inventory', 'payment', 'shipping'] as const).map(async (role) => {
        const one = await startOne(role, dbEnv(role));
        started.push(one);
        return one;
      }),
    );
    const order = await startOne('order', {
      ...dbEnv('order'),
      INVENTORY_URL: inventory!.url,
      PAYMENT_URL: payment!.url,
      SHIPPING_URL: shipping!.url,
    });
    started.push(order);
    const gateway = await startOne('gateway', { ORDER_URL: order.url });
    started.push(gateway);
    const withDatabase = { order, inventory: inventory!, payment: payment!, shipping: shipping! };
    const roundTrips = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(withDatabase).map(async ([role, one]) => {
            const response = await fetch(`${one.url}/_bare/round-trips`);
            return [role, ((await response.json()) as { roundTrips: number }).roundTrips] as const;
          }),
        ),
      );
    return { gatewayUrl: gateway.url, roundTrips, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
