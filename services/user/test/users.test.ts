import { runMigrations } from '@shop/db';
import { createTestDatabase, testEngines, testResources, type TestDatabase } from '@shop/testing';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { buildApp } from '../src/app';
import { migrations } from '../src/migrations';
import { TEST_SCRYPT_COST, verifyPassword } from '../src/domain/password';

const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const registration = (overrides: Record<string, unknown> = {}) => ({
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  password: 'correct horse battery',
  shippingAddress: address,
  ...overrides,
});

describe.each(testEngines())('user service on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;

  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase(engine));
      await runMigrations(db, migrations);
      app = await track(
        buildApp({ db, logger: false, authentication: trustEveryCallerForTests(), passwordCost: TEST_SCRYPT_COST }),
      );
    }),
  );

  const register = (body: unknown) => app.inject({ method: 'POST', url: '/users', payload: body as object });
  const fieldsOf = (response: { json(): { errors: { field: string }[] } }) =>
    response
      .json()
      .errors.map((error) => error.field)
      .sort();

  it('registers a user, never returning the password, and serves it by id', async () => {
    const response = await register(registration());
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(response.headers.location).toBe(`/users/${user.id}`);
    expect(user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      shippingAddress: address,
      version: 1,
    });
    expect(JSON.stringify(user)).not.toMatch(/password|correct horse/);

    const fetched = await app.inject(`/users/${user.id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(user);

    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$/);
    await expect(verifyPassword('correct horse battery', rows[0]!.password_hash)).resolves.toBe(true);
  });

  it('rejects a duplicate email with 409, whatever its case', async () => {
    expect((await register(registration())).statusCode).toBe(201);
    for (const email of ['ada@example.com', 'ADA@Example.COM']) {
      const response = await register(registration({ email }));
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().type).toMatch(/email-already-registered$/);
    }
  });

  it('lets exactly one of 20 concurrent registrations of the same email succeed', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        register(registration({ email: i % 2 ? 'grace@example.com' : 'GRACE@example.com' })),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const { rows } = await db.query('SELECT id FROM users');
    expect(rows).toHaveLength(1);
  });

  it('lists every missing field', async () => {
    const response = await register({});
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['body.email', 'body.name', 'body.password', 'body.shippingAddress']);
  });

  it('names a bad email, wrong types and unknown fields', async () => {
    const response = await register(
      registration({ email: 'not-an-email', name: 42, shippingAddress: { ...address, country: 'usa' }, admin: true }),
    );
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['body.admin', 'body.email', 'body.name', 'body.shippingAddress.country']);
    const { rows } = await db.query('SELECT id FROM users');
    expect(rows).toHaveLength(0);
  });

  it('answers a huge payload with 413 and stores nothing', async () => {
    const response = await register(registration({ name: 'x'.repeat(200_000) }));
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((await db.query('SELECT id FROM users')).rows).toHaveLength(0);
  });

  it('answers an unknown id with 404 and a malformed one with 400', async () => {
    const unknown = await app.inject('/users/0190a0a0-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ status: 404, title: 'Resource not found' });
    expect((await app.inject('/users/not-a-uuid')).statusCode).toBe(400);
  });

  it('updates a profile and bumps the version', async () => {
    const { id } = (await register(registration())).json();
    const response = await app.inject({ method: 'PATCH', url: `/users/${id}`, payload: { name: 'Ada King' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Ada King', version: 2, shippingAddress: address });

    const empty = await app.inject({ method: 'PATCH', url: `/users/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
    const missing = await app.inject({
      method: 'PATCH',
      url: '/users/0190a0a0-0000-7000-8000-000000000000',
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('pages through users with a cursor', async () => {
    for (let i = 0; i < 5; i++) await register(registration({ email: `user${i}@example.com` }));
    const first = (await app.inject('/users?limit=2')).json();
    expect(first.users).toHaveLength(2);
    const second = (await app.inject(`/users?limit=2&cursor=${first.nextCursor}`)).json();
    const third = (await app.inject(`/users?limit=2&cursor=${second.nextCursor}`)).json();
    expect(third.nextCursor).toBeNull();
    const emails = [...first.users, ...second.users, ...third.users].map((user: { email: string }) => user.email);
    expect(new Set(emails).size).toBe(5);

    expect((await app.inject('/users?cursor=garbage')).statusCode).toBe(400);
    expect((await app.inject('/users?limit=1000')).statusCode).toBe(400);
  });
});
