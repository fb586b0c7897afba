import { assertEachSkuOnce, RepeatedSkuError } from '../src';

describe('assertEachSkuOnce', () => {
  it('accepts lines that name each sku once', () => {
    expect(() => assertEachSkuOnce([{ sku: 'A' }, { sku: 'B' }])).not.toThrow();
    expect(() => assertEachSkuOnce([])).not.toThrow();
  });

  it('names every repeated sku once, in the order they first repeat', () => {
    const lines = [{ sku: 'A' }, { sku: 'B' }, { sku: 'A' }, { sku: 'C' }, { sku: 'B' }, { sku: 'A' }];
    let thrown: unknown;
    try {
      assertEachSkuOnce(lines);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RepeatedSkuError);
    expect((thrown as RepeatedSkuError).skus).toEqual(['A', 'B']);
    expect((thrown as RepeatedSkuError).message).toBe('Listed more than once: A, B');
  });
});
