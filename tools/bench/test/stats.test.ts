import { percentile, summarize, totalOf } from '../src/stats';

describe('percentile (nearest rank)', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted

  it('takes the value below which p% of the samples fall', () => {
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN without samples, and the only value with one', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarizes count, p50, p99, mean and max without reordering the input', () => {
    const input = [3, 1, 2];
    expect(summarize(input)).toEqual({ count: 3, p50: 2, p99: 3, mean: 2, max: 3 });
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('totalOf', () => {
  it('adds a breakdown’s values, a missing entry as 0', () => {
    expect(totalOf({ order: 60, user: 15.5, inventory: undefined })).toBe(75.5);
    expect(totalOf({})).toBe(0);
  });
});
