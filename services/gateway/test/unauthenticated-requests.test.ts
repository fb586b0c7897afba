/**
 * Regression (found by @shop/reliability's fuzzing): without a token, a protected route answered 400 for a body it
 * could not parse, because the 401 came only after body parsing. Now the caller is rejected before the body is read.
 */
import { startGateway } from './support/gateway';

describe('anonymous callers of protected routes', () => {
  it.each([
    ['malformed JSON', '~', 'application/json'],
    ['an invalid order', JSON.stringify({ items: 'none' }), 'application/json'],
    ['an unsupported media type', 'a=1', 'text/plain'],
  ])('get 401 for %s, before the body is read', async (_case, payload, contentType) => {
    const { app } = await startGateway({});
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/orders',
        headers: { 'content-type': contentType },
        payload,
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    } finally {
      await app.close();
    }
  });

  it('are still rate limited per address before the 401', async () => {
    const { app } = await startGateway({}, { rateLimit: { max: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await app.inject({
              method: 'POST',
              url: '/api/orders',
              payload: '~',
              headers: { 'content-type': 'application/json' },
            })
          ).statusCode,
        );
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await app.close();
    }
  });
});
