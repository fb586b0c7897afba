import { uuidv7 } from '../src';

describe('uuidv7', () => {
  it('has version 7, the RFC variant, and the timestamp in its first 48 bits', () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 2500)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by creation time across milliseconds', () => {
    const ids = [1_000, 2_000, 3_000].map((ms) => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays ordered when the clock steps backwards', () => {
    const later = uuidv7(1_800_000_000_000);
    const earlier = uuidv7(1_799_999_999_000);
    expect(earlier > later).toBe(true);
  });
});
