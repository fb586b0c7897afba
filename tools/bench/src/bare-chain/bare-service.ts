#!/usr/bin/env node
/**
 * One service of the bare chain, as its own process (like the real system's, so both use the same cores the same
 * way): plain Fastify, plain SQL on the same `@shop/db` (PGlite or Postgres), plain `fetch` between services.
 * No auth, no validation schemas, no saga, no event store, no outbox, no retries/timeouts/breakers, no tracing.
 * What it keeps is the shape of the work: the same HTTP hops and the same number of database writes per order.
 *
 * Env: BARE_ROLE (gateway|order|inventory|payment|shipping), DATABASE_URL or BARE_DATA_DIR, and for the callers
 * ORDER_URL / INVENTORY_URL / PAYMENT_URL / SHIPPING_URL. Prints `BARE_READY <port>` once it listens.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '@shop/db';

type Role = 'gateway' | 'order' | 'inventory' | 'payment' | 'shipping';

const SCHEMA: Record<Role, string> = {
  gateway: '',
  order: `CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY, status text NOT NULL, body jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
          CREATE TABLE IF NOT EXISTS step_log (id bigserial PRIMARY KEY, order_id text NOT NULL, step text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, outcome text);`,
  inventory: `CREATE TABLE IF NOT EXISTS products (sku text PRIMARY KEY, stock integer NOT NULL);
              CREATE TABLE IF NOT EXISTS reservations (order_id text PRIMARY KEY, items jsonb NOT NULL, status text NOT NULL);
              INSERT INTO products (sku, stock) VALUES ('BENCH-ITEM', 1000000000) ON CONFLICT DO NOTHING;`,
  payment: `CREATE TABLE IF NOT EXISTS payments (id text PRIMARY KEY, order_id text NOT NULL, amount_minor integer NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now());`,
  shipping: `CREATE TABLE IF NOT EXISTS shipments (id text PRIMARY KEY, order_id text NOT NULL, address jsonb NOT NULL,
               created_at timestamptz NOT NULL DEFAULT now());`,
};

interface OrderBody {
  items: { sku: string; quantity: number }[];
  shippingAddress: unknown;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return text ? JSON.parse(text) : undefined;
}

function gatewayRoutes(app: FastifyInstance): void {
  const order = process.env.ORDER_URL!;
  app.post('/api/orders', async (request, reply) => {
    const response = await fetch(`${order}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    return reply.code(response.status).send(await response.json());
  });
  app.get<{ Params: { id: string } }>('/api/orders/:id', async (request, reply) => {
    const response = await fetch(`${order}/orders/${encodeURIComponent(request.params.id)}`);
    return reply.code(response.status).send(await response.json());
  });
}

/** The four participant calls in saga order, each between a "step started" and a "step finished" write. */
function orderRoutes(app: FastifyInstance, db: Database): void {
  const inventory = process.env.INVENTORY_URL!;
  const payment = process.env.PAYMENT_URL!;
  const shipping = process.env.SHIPPING_URL!;
  const step = async (orderId: string, name: string, call: () => Promise<unknown>) => {
    const { rows } = await db.query<{ id: string }>(
      'INSERT INTO step_log (order_id, step) VALUES ($1, $2) RETURNING id',
      [orderId, name],
    );
    await call();
    await db.query(`UPDATE step_log SET finished_at = now(), outcome = 'ok' WHERE id = $1`, [rows[0]!.id]);
  };

  app.post<{ Body: OrderBody }>('/orders', async (request, reply) => {
    const id = randomUUID();
    const { items, shippingAddress } = request.body;
    await db.query(`INSERT INTO orders (id, status, body) VALUES ($1, 'PENDING', $2)`, [
      id,
      JSON.stringify(request.body),
    ]);
    await step(id, 'reserveInventory', () => postJson(`${inventory}/reservations`, { orderId: id, items }));
    await step(id, 'processPayment', () => postJson(`${payment}/payments`, { orderId: id, amountMinor: 1299 }));
    await step(id, 'createShipment', () =>
      postJson(`${shipping}/shipments`, { orderId: id, address: shippingAddress }),
    );
    await step(id, 'confirmOrder', () => postJson(`${inventory}/reservations/${id}/commit`, {}));
    await db.query(`UPDATE orders SET status = 'CONFIRMED', updated_at = now() WHERE id = $1`, [id]);
    return reply.code(202).send({ id, status: 'CONFIRMED' });
  });
  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const { rows } = await db.query<{ id: string; status: string }>('SELECT id, status FROM orders WHERE id = $1', [
      request.params.id,
    ]);
    return rows[0] ? rows[0] : reply.code(404).send({ status: 404 });
  });
}

function inventoryRoutes(app: FastifyInstance, db: Database): void {
  app.post<{ Body: { orderId: string; items: { sku: string; quantity: number }[] } }>(
    '/reservations',
    async (request, reply) => {
      const { orderId, items } = request.body;
      await db.transaction(async (tx) => {
        for (const item of items)
          await tx.query('UPDATE products SET stock = stock - $2 WHERE sku = $1', [item.sku, item.quantity]);
        await tx.query(`INSERT INTO reservations (order_id, items, status) VALUES ($1, $2, 'HELD')`, [
          orderId,
          JSON.stringify(items),
        ]);
      });
      return reply.code(201).send({ orderId, status: 'HELD' });
    },
  );
  app.post<{ Params: { id: string } }>('/reservations/:id/commit', async (request) => {
    await db.query(`UPDATE reservations SET status = 'COMMITTED' WHERE order_id = $1`, [request.params.id]);
    return { orderId: request.params.id, status: 'COMMITTED' };
  });
}

function paymentRoutes(app: FastifyInstance, db: Database): void {
  app.post<{ Body: { orderId: string; amountMinor: number } }>('/payments', async (request, reply) => {
    const id = randomUUID();
    await db.query('INSERT INTO payments (id, order_id, amount_minor) VALUES ($1, $2, $3)', [
      id,
      request.body.orderId,
      request.body.amountMinor,
    ]);
    return reply.code(201).send({ id, status: 'CAPTURED' });
  });
}

function shippingRoutes(app: FastifyInstance, db: Database): void {
  app.post<{ Body: { orderId: string; address: unknown } }>('/shipments', async (request, reply) => {
    const id = randomUUID();
    await db.query('INSERT INTO shipments (id, order_id, address) VALUES ($1, $2, $3)', [
      id,
      request.body.orderId,
      JSON.stringify(request.body.address),
    ]);
    return reply.code(201).send({ id, status: 'PENDING' });
  });
}

async function main(): Promise<void> {
  const role = process.env.BARE_ROLE as Role;
  if (!(role in SCHEMA)) throw new Error(`BARE_ROLE must be one of ${Object.keys(SCHEMA).join(', ')}`);
  const db =
    role === 'gateway'
      ? undefined
      : await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.BARE_DATA_DIR });
  if (db) await db.exec(SCHEMA[role]);
  const app = Fastify({ logger: false });
  // The benchmark's count of this role's database round trips (the real services serve db_round_trips_total).
  app.get('/_bare/round-trips', async () => ({ roundTrips: db?.counters().roundTrips ?? 0 }));
  if (role === 'gateway') gatewayRoutes(app);
  if (role === 'order') orderRoutes(app, db!);
  if (role === 'inventory') inventoryRoutes(app, db!);
  if (role === 'payment') paymentRoutes(app, db!);
  if (role === 'shipping') shippingRoutes(app, db!);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`BARE_READY ${typeof address === 'object' && address ? address.port : 0}\n`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => db?.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
