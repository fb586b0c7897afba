/**
 * The in-memory rate-limit store with 100,000 distinct clients: it keeps at most its configured bound
 * (RATE_LIMIT_CACHE_SIZE), so a flood of new addresses cannot grow the gateway's memory without limit.
 * (That the gateway's store really evicts is shown through the gateway in rate-limit.test.ts.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** 10.x.y.z for the i-th client. */
const clientAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('the in-memory rate-limit store with 100,000 distinct clients', () => {
  /** The store @fastify/rate-limit creates from the gateway's `cache` option (RATE_LIMIT_CACHE_SIZE). */
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const LocalStore = require('@fastify/rate-limit/store/LocalStore') as new (
    continueExceeding: boolean,
    exponentialBackoff: boolean,
    cache: number,
  ) => { incr(key: string, done: () => void, windowMs: number, max: number): void; lru: { size: number } };

  /** Heap growth in MB after filling a store with `clients` keys; the store is kept alive until measured. */
  async function heapGrowthMb(bound: number, clients: number): Promise<{ size: number; growthMb: number }> {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const settle = () => new Promise((resolve) => setImmediate(resolve)); // let pending callbacks release garbage
    for (let i = 0; i < 3; i++) {
      await settle();
      gc();
    }
    const before = process.memoryUsage().heapUsed;
    const store = new LocalStore(false, false, bound);
    for (let i = 0; i < clients; i++) store.incr(`ip:${clientAddress(i)}`, () => {}, 60_000, 100);
    await settle();
    gc();
    return { size: store.lru.size, growthMb: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
  }

  it('holds at most its configured bound, in a few MB', async () => {
    const bounded = await heapGrowthMb(10_000, 100_000);
    const unbounded = await heapGrowthMb(1_000_000, 100_000); // what the seed's Map amounted to
    process.stdout.write(
      `rate-limit store, 100,000 clients: bound 10,000 → ${bounded.size} entries, +${bounded.growthMb.toFixed(1)} MB; ` +
        `unbounded → ${unbounded.size} entries, +${unbounded.growthMb.toFixed(1)} MB\n`,
    );
    expect(bounded.size).toBe(10_000);
    expect(unbounded.size).toBe(100_000);
    expect(bounded.growthMb).toBeLessThan(unbounded.growthMb / 3);
    expect(bounded.growthMb).toBeLessThan(8);
  });
});
