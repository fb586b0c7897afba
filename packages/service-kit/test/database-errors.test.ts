/**
 * A database error that escapes a handler is answered as what it is: the request's data refused (400, 409) or the
 * database unreachable (503 with Retry-After) — never a 500. On PGlite and, with TEST_DATABASE_URL, on Postgres;
 * and on a Postgres that is not running, or stops while the service is up.
 */
import { openPostgresDatabase, type Database } from '@shop/db';
import {
  createTestDatabase,
  startPostgresRelay,
  describeOnPostgres,
  testEngines,
  type PostgresRelay,
} from '@shop/db/testing';
import { createApp, type ServiceApp } from '../src';

const createWidgetsTable = (db: Database) =>
  db.exec('CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL UNIQUE)');

/**
 * Routes that hand the request to SQL unchecked (no schema), so the database itself judges the data — the layer
 * behind validation, for whatever a schema does not catch.
 */
async function widgetService(db: Database): Promise<ServiceApp> {
  const app = await createApp({ name: 'widget-service', logger: false });
  app.post('/widgets', async (request, reply) => {
    const { name } = request.body as { name: unknown };
    const { rows } = await db.query('INSERT INTO widgets (name) VALUES ($1) RETURNING id', [name]);
    return reply.code(201).send(rows[0]);
  });
  app.get('/widgets/:id', async (request) => {
    const { rows } = await db.query('SELECT name FROM widgets WHERE id = $1', [(request.params as { id: string }).id]);
    return rows[0] ?? {};
  });
  await app.ready();
  return app;
}

const createWidget = (app: ServiceApp, name: unknown) =>
  app.inject({ method: 'POST', url: '/widgets', payload: { name } as object });

function expectUnavailable(response: Awaited<ReturnType<typeof createWidget>>): void {
  expect(response.statusCode).toBe(503);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['retry-after']).toBe('2');
  expect(response.json()).toMatchObject({ status: 503, type: expect.stringMatching(/dependency-unavailable$/) });
}

describe.each(testEngines())('database errors that escape a handler, on %s', (engine) => {
  let db: Database;
  let app: ServiceApp;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await createWidgetsTable(db);
    app = await widgetService(db);
  }, 120_000); // a first PGlite start on a loaded machine
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('answers 400 invalid-data for a value the database cannot hold (SQLSTATE class 22)', async () => {
    for (const response of [await createWidget(app, 'nul\u0000inside'), await app.inject('/widgets/not-a-number')]) {
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, type: expect.stringMatching(/invalid-data$/) });
    }
  });

  it('answers 409 conflicting-data for a violated constraint (class 23), without quoting the stored row', async () => {
    expect((await createWidget(app, 'sprocket')).statusCode).toBe(201);
    const duplicate = await createWidget(app, 'sprocket');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ status: 409, type: expect.stringMatching(/conflicting-data$/) });
    expect(duplicate.body).not.toContain('sprocket');
    expect((await createWidget(app, null)).statusCode).toBe(409); // NOT NULL
  });

  it('answers 503 with Retry-After once the database is closed', async () => {
    const closing = await createTestDatabase(engine);
    await createWidgetsTable(closing);
    const service = await widgetService(closing);
    let closed = false;
    try {
      expect((await createWidget(service, 'gear')).statusCode).toBe(201);
      await closing.close();
      closed = true;
      expectUnavailable(await createWidget(service, 'gear 2'));
    } finally {
      await service.close();
      if (!closed) await closing.close();
    }
  }, 120_000);
});

describe('a Postgres the service cannot reach', () => {
  it('answers 503 with Retry-After when nothing listens at the database address', async () => {
    const relay = await startPostgresRelay('postgres://postgres@127.0.0.1:5432/postgres');
    await relay.stop(); // its port now refuses connections: a server that is not running
    const db = openPostgresDatabase({ url: relay.url, maxConnections: 1 });
    const app = await widgetService(db);
    try {
      expectUnavailable(await createWidget(app, 'gear'));
      expectUnavailable(await app.inject('/widgets/1'));
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describeOnPostgres('a Postgres that stops while the service runs', 'a server to stop', () => {
  it('answers 503 with Retry-After instead of 500, and serves again when it is back', async () => {
    const server = await createTestDatabase('postgres');
    await createWidgetsTable(server);
    const relay = await startPostgresRelay(server.url!);
    const db = openPostgresDatabase({ url: relay.url });
    const app = await widgetService(db);
    let restarted: PostgresRelay | undefined;
    try {
      expect((await createWidget(app, 'before')).statusCode).toBe(201);
      await relay.stop();
      expectUnavailable(await createWidget(app, 'during'));
      expectUnavailable(await app.inject('/widgets/1'));

      // The server is back at the same address: the same service serves again, its pool reconnecting by itself.
      restarted = await startPostgresRelay(server.url!, { port: relay.port });
      expect((await createWidget(app, 'after')).statusCode).toBe(201);
    } finally {
      await app.close();
      await db.close();
      await relay.stop();
      await restarted?.stop();
      await server.close();
    }
  });
});
