/**
 * Authentication end to end with the real user service (its test kit's app on PGlite, listening on a port the OS
 * picks, verifying tokens itself): register → token → profile, and what the user service does with requests that
 * did not come through the gateway with a valid token.
 */
import type { ServiceApp } from '@shop/service-kit';
import { bearer, createTestDatabase, type TestDatabase } from '@shop/testing';
import { buildUserForTests } from '@shop/user-service/testing';
import { JWT_SECRET, OTHER_CUSTOMER, startGateway } from './support/gateway';

const registration = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  password: 'correct horse battery',
  shippingAddress: { line1: '1 Main St', city: 'London', postalCode: 'N1', country: 'GB' },
};

describe('gateway authentication with the real user service', () => {
  let db: TestDatabase;
  let userService: ServiceApp;
  let userServiceUrl: string;
  let gateway: ServiceApp;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    userService = await buildUserForTests({ db, logger: false, authentication: { secret: JWT_SECRET } });
    userServiceUrl = await userService.listen({ port: 0, host: '127.0.0.1' });
    ({ app: gateway } = await startGateway({ users: userServiceUrl }));
  });
  afterAll(async () => {
    await gateway.close();
    await userService.close();
    await db.close();
  });

  const token = (email: string, password: string) =>
    gateway.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password } });

  it('registers, issues a 15-minute token for the right credentials only, and serves the profile with it', async () => {
    const registered = await gateway.inject({ method: 'POST', url: '/api/users', payload: registration });
    expect(registered.statusCode).toBe(201);
    const user = registered.json();
    expect(registered.headers.location).toBe(`/api/users/${user.id}`);
    expect((await gateway.inject({ method: 'POST', url: '/api/users', payload: registration })).statusCode).toBe(409);

    const wrong = await token('ada@example.com', 'wrong password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().type).toMatch(/invalid-credentials$/);
    expect((await token('nobody@example.com', 'correct horse battery')).json().detail).toBe(wrong.json().detail);

    const issued = await token('ada@example.com', 'correct horse battery');
    expect(issued.statusCode).toBe(200);
    const { accessToken, tokenType, expiresIn } = issued.json();
    expect({ tokenType, expiresIn }).toEqual({ tokenType: 'Bearer', expiresIn: 900 });
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: user.id, role: 'customer', iss: 'resilient-shop' });
    expect(claims.exp - claims.iat).toBe(900);

    const authorization = `Bearer ${accessToken}`;
    const me = await gateway.inject({ url: '/api/users/me', headers: { authorization } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(user);
    const renamed = await gateway.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: { authorization },
      payload: { name: 'Ada King' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Ada King', version: 2 });
    expect((await gateway.inject({ url: '/api/users/me/orders', headers: { authorization } })).json()).toEqual({
      orders: [],
    });
    expect((await gateway.inject({ url: `/api/users/${OTHER_CUSTOMER}`, headers: { authorization } })).statusCode).toBe(
      404,
    );
  });

  it('is not fooled by an identity header: the user service answers for the token subject only', async () => {
    const other = (
      await gateway.inject({
        method: 'POST',
        url: '/api/users',
        payload: { ...registration, email: 'grace@example.com' },
      })
    ).json();
    const { accessToken } = (await token('ada@example.com', 'correct horse battery')).json();
    const response = await gateway.inject({
      url: '/api/users/me',
      headers: { authorization: `Bearer ${accessToken}`, 'x-user-id': other.id, 'x-customer-id': other.id },
    });
    expect(response.json().email).toBe('ada@example.com');
  });

  it('the user service itself rejects requests that arrive without a valid token', async () => {
    const { id } = (
      await gateway.inject({
        method: 'POST',
        url: '/api/users',
        payload: { ...registration, email: 'alan@example.com' },
      })
    ).json();
    const direct = (headers: Record<string, string>) => fetch(`${userServiceUrl}/users/${id}`, { headers });

    const none = await direct({ 'x-customer-id': id, 'x-user-id': id });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await direct(bearer('not-the-shared-secret-but-long-enough', { sub: id, role: 'customer' }))).status).toBe(
      401,
    );
    expect((await direct(bearer(JWT_SECRET, { sub: id, role: 'customer', expiresInSeconds: -1 }))).status).toBe(401);
    // Someone else's valid token: the profile does not exist for them.
    expect((await direct(bearer(JWT_SECRET, { sub: OTHER_CUSTOMER, role: 'customer' }))).status).toBe(404);
    expect((await direct(bearer(JWT_SECRET, { sub: id, role: 'customer' }))).status).toBe(200);
  });
});
