import { constantBackoff, exponentialBackoff } from '../src';

/** A deterministic stand-in for Math.random covering the whole [0, 1) range. */
function sequence(): () => number {
  let i = 0;
  return () => ((i++ * 7919) % 1000) / 1000;
}

describe('backoff', () => {
  it('constant returns the same delay every time', () => {
    expect([1, 2, 3].map((n) => constantBackoff(250)(n, 0, Math.random))).toEqual([250, 250, 250]);
  });

  it('exponential without jitter doubles and is capped', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 1_000, jitter: 'none' });
    expect([1, 2, 3, 4, 5].map((n) => backoff(n, 0, Math.random))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('full jitter stays within [0, capped exponential]', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 5_000, jitter: 'full' });
    const random = sequence();
    for (let retry = 1; retry <= 12; retry++) {
      const ceiling = Math.min(5_000, 100 * 2 ** (retry - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoff(retry, 0, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(backoff(3, 0, () => 0.999_999)).toBeCloseTo(400, 1);
  });

  it('decorrelated jitter stays within [initial, min(cap, previous * 3)]', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 2_000, jitter: 'decorrelated' });
    const random = sequence();
    let previous = 0;
    for (let retry = 1; retry <= 2_000; retry++) {
      const delay = backoff(retry, previous, random);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(Math.min(2_000, Math.max(100, previous * 3)));
      previous = delay;
    }
  });
});
