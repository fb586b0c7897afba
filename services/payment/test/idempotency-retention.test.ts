/**
 * Idempotency-Key records stay bounded: the payment service's retention job prunes keys older than their retention
 * period, while a key still inside it keeps replaying. Days of charges are simulated on a fake clock that is both the
 * service's clock (it stamps the keys) and the job's.
 */
import { FakeClock } from '@shop/clock';
import { createRetentionJob, type RetentionJob } from '@shop/db';
import type { ServiceApp } from '@shop/service-kit';
import { testEngines, testResources, type TestDatabase } from '@shop/testing';
import { idempotencyKeyRetention } from '../src/idempotency/idempotency-keys';
import { countRows, migratedDatabase, pay, paymentBody, testApp } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testEngines())('Idempotency-Key retention on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;
  let clock: FakeClock;
  let job: RetentionJob;
  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
      db = await track(migratedDatabase(engine));
      ({ app } = await track(testApp(db, { clock }), ({ app: built }) => built.close()));
      job = await track(
        createRetentionJob({ db, clock, intervalMs: 6 * HOUR, rules: [idempotencyKeyRetention(DAY)] }),
        (started) => started.stop(),
      );
    }),
  );

  it('keeps at most a day of keys however many days of charges arrive', async () => {
    const perInterval = 3;
    job.start();
    await clock.waitForTimer();
    let largest = 0;
    for (let tick = 0; tick < 5 * 4; tick++) {
      for (let i = 0; i < perInterval; i++) expect((await pay(app, paymentBody())).statusCode).toBe(201);
      await clock.advance(6 * HOUR);
      await clock.waitForTimer(); // the pass the advance started has finished
      largest = Math.max(largest, await countRows(db, 'idempotency_keys'));
    }
    expect(await countRows(db, 'payments')).toBe(5 * 4 * perInterval); // the charges themselves are kept
    expect(largest).toBeLessThanOrEqual((4 + 1) * perInterval); // a day is four intervals, plus one not yet due
  }, 120_000);

  it('still replays a key inside its retention period, and treats one past it as a new request', async () => {
    const body = paymentBody({ paymentMethod: 'tok_insufficient_funds' }); // declines can be retried, so no 409
    const first = await pay(app, body, 'key-kept');
    await clock.advance(DAY - HOUR);
    await job.prune();
    expect((await pay(app, body, 'key-kept')).headers['idempotent-replayed']).toBe('true');
    await clock.advance(2 * HOUR);
    await job.prune();
    const afterExpiry = await pay(app, body, 'key-kept');
    expect(afterExpiry.headers['idempotent-replayed']).toBeUndefined();
    expect(afterExpiry.statusCode).toBe(first.statusCode);
  });
});
