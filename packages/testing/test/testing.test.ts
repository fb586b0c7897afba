import { createHmac } from 'node:crypto';
import { eventually, signTestToken } from '../src';

describe('eventually', () => {
  it('returns as soon as the check passes', async () => {
    let calls = 0;
    await expect(
      eventually(() => (++calls < 3 ? Promise.reject(new Error('not yet')) : 'done'), { intervalMs: 1 }),
    ).resolves.toBe('done');
    expect(calls).toBe(3);
  });

  it('fails with the last reason once the deadline passes', async () => {
    await expect(
      eventually(() => Promise.reject(new Error('still not')), { timeoutMs: 20, intervalMs: 1 }),
    ).rejects.toThrow('Condition not met within 20 ms: still not');
  });
});

describe('signTestToken', () => {
  it('signs an HS256 JWT with the claims services verify', () => {
    const token = signTestToken('secret-of-at-least-32-characters-long', {
      sub: 'c1',
      role: 'customer',
      expiresInSeconds: 60,
    });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({
      sub: 'c1',
      role: 'customer',
      iss: 'resilient-shop',
      aud: 'resilient-shop-services',
    });
    expect(claims.exp - claims.iat).toBe(60);
    const expected = createHmac('sha256', 'secret-of-at-least-32-characters-long')
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expected);
  });
});
