import { FakeClock } from '@shop/clock';
import { getEventListeners } from 'node:events';
import { Bulkhead, BulkheadRejectedError } from '../src';

describe('Bulkhead', () => {
  it('never over-admits under 1,000 concurrent calls, queues up to the bound and rejects the rest', async () => {
    const clock = new FakeClock();
    const bulkhead = new Bulkhead({ maxConcurrent: 10, maxQueue: 100 });
    let running = 0;
    let peak = 0;
    const work = async (): Promise<string> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 1 + (running % 7)));
      running--;
      return 'done';
    };
    const results = Array.from({ length: 1_000 }, () =>
      bulkhead.execute(work).then(
        () => 'done',
        (e: unknown) => (e instanceof BulkheadRejectedError ? 'rejected' : 'other'),
      ),
    );
    expect(bulkhead.active).toBe(10);
    expect(bulkhead.queued).toBe(100);
    await clock.advance(1_000);
    const outcomes = await Promise.all(results);
    expect(peak).toBe(10);
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(110);
    expect(outcomes.filter((o) => o === 'rejected')).toHaveLength(890);
    expect(bulkhead.active).toBe(0);
    expect(bulkhead.queued).toBe(0);
  });

  it('releases each slot exactly once, whether the call resolves, rejects or throws synchronously', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 0 });
    await bulkhead.execute(async () => 'ok');
    await bulkhead.execute(async () => Promise.reject(new Error('no'))).catch(() => undefined);
    await bulkhead
      .execute(() => {
        throw new Error('sync');
      })
      .catch(() => undefined);
    expect(bulkhead.active).toBe(0);
    await expect(bulkhead.execute(async () => 'still works')).resolves.toBe('still works');
  });

  it('drops a queued call whose caller aborts, without taking a slot', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueue: 5 });
    let finish!: () => void;
    const first = bulkhead.execute(() => new Promise<void>((resolve) => (finish = resolve)));
    const controller = new AbortController();
    const waiting = jest.fn(async () => 'never');
    const queued = bulkhead.execute(waiting, controller.signal);
    expect(bulkhead.queued).toBe(1);
    controller.abort(new Error('gave up'));
    await expect(queued).rejects.toThrow('gave up');
    expect(bulkhead.queued).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    finish();
    await first;
    expect(waiting).not.toHaveBeenCalled();
    expect(bulkhead.active).toBe(0);
  });
});
