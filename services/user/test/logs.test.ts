/**
 * No password hash, email or address reaches a log — not even when a query carrying them fails. The user service
 * logs through the shared service-kit logger into a captured stream; a registration whose INSERT fails (the table is
 * gone) answers 500 and is logged as an error, and the log is then searched for the data the query carried.
 */
import { Writable } from 'node:stream';
import { runMigrations } from '@shop/db';
import { loggerOptions, trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { createTestDatabase, testEngines, testResources, type TestDatabase } from '@shop/testing';
import pino from 'pino';
import { buildApp } from '../src/app';
import { TEST_SCRYPT_COST } from '../src/domain/password';
import { migrations } from '../src/migrations';

describe.each(testEngines())('user-service logs on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;
  let logLines: string[];
  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      logLines = [];
      const capture = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      });
      const { transport: _prettyOnTerminals, ...options } = loggerOptions('user-service', 'info');
      db = await track(createTestDatabase(engine));
      await runMigrations(db, migrations);
      app = await track(
        buildApp({
          db,
          logger: pino(options, capture),
          authentication: trustEveryCallerForTests(),
          passwordCost: TEST_SCRYPT_COST,
        }),
      );
    }),
  );

  it('keeps the password hash, email and address of a failed INSERT out of the log', async () => {
    await db.exec('ALTER TABLE users RENAME TO users_moved_away'); // every INSERT INTO users now fails
    const response = await app.inject({
      method: 'POST',
      url: '/users',
      payload: {
        email: 'grace.hopper@example.com',
        name: 'Grace Hopper',
        password: 'correct horse battery',
        shippingAddress: { line1: '7 Cobol Lane', city: 'Arlington', postalCode: '22201', country: 'US' },
      },
    });
    expect(response.statusCode).toBe(500);

    const log = logLines.join('');
    // The failure is in the log, with its request id, so the check below is looking at the right lines…
    expect(log).toContain('"msg":"request failed"');
    expect(log).toContain('"code":"42P01"'); // undefined_table: the INSERT into users failed
    expect(log).toContain(response.json().requestId);
    // …and none of the query's data is.
    for (const secret of ['scrypt$', 'grace.hopper@example.com', '7 Cobol Lane', 'correct horse battery']) {
      expect(log).not.toContain(secret);
    }
  });
});
