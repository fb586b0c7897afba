import { uuidv7 } from '../src';

describe('uuidv7', () => {
  it('puts the millisecond timestamp first, with version 7 and the RFC 9562 variant', () => {
    const id = uuidv7(0x0189_0a5d_ac96, Buffer.alloc(10, 0xff));
    expect(id).toBe('01890a5d-ac96-7fff-bfff-ffffffffffff');
  });

  it('sorts by creation time', () => {
    const ids = [1_000, 2_000, 3_000].map((ms) => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
  });
});
