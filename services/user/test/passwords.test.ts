/**
 * Password storage and policy: OWASP's scrypt cost by default, old hashes verified and upgraded on the next
 * successful login, and NIST SP 800-63B's minimum rules for new passwords with a 400 naming the reason.
 */
import { runMigrations } from '@shop/db';
import { createTestDatabase, testResources, type TestDatabase } from '@shop/testing';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { buildApp } from '../src/app';
import { hashPassword, needsRehash, OWASP_SCRYPT_COST, TEST_SCRYPT_COST, verifyPassword } from '../src/domain/password';
import { passwordProblem } from '../src/domain/password-policy';
import { migrations } from '../src/migrations';

const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('password hashes', () => {
  it('are made at OWASP’s scrypt cost by default (N=2^17, r=8, p=1), with the parameters in the string', async () => {
    expect(OWASP_SCRYPT_COST).toEqual({ N: 131_072, r: 8, p: 1 });
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    expect(needsRehash(stored)).toBe(false);
  }, 60_000);

  it('verify at the cost they were made with, and say when they need an upgrade', async () => {
    const legacy = await hashPassword('correct horse battery', { N: 16_384, r: 8, p: 1 }); // the previous default
    await expect(verifyPassword('correct horse battery', legacy)).resolves.toBe(true);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(legacy, { N: 16_384, r: 8, p: 1 })).toBe(false);
  });

  it('refuse stored strings with implausible parameters instead of allocating for them', async () => {
    await expect(verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).resolves.toBe(false);
    await expect(verifyPassword('x', 'bcrypt$2b$10$whatever')).resolves.toBe(false);
  });
});

describe('password policy (NIST SP 800-63B)', () => {
  const email = 'ada.lovelace@example.com';
  it.each([
    ['short1!', 'must be at least 8 characters long'],
    ['password123', 'is one of the most commonly used passwords; choose another'],
    ['QWERTYUIOP', 'is one of the most commonly used passwords; choose another'],
    ['zzzzzzzzzz', 'is a repeated character or a simple sequence; choose another'],
    ['23456789', 'is a repeated character or a simple sequence; choose another'],
    ['ada.lovelace', 'must not be your email address'],
    ['my resilientshop login', 'must not contain the name of this shop'],
  ])('refuses %p: %s', (password, reason) => {
    expect(passwordProblem(password, { email })).toBe(reason);
  });

  it.each(['correct horse battery', 'Tr0ub4dor&3x', '🔐🔐🔐🔐🔐🔐🔐!', 'über geheim'])('accepts %p', (password) => {
    expect(passwordProblem(password, { email })).toBeUndefined();
  });
});

describe('registration and login', () => {
  let db: TestDatabase;
  let app: ServiceApp;
  const resources = testResources();
  const appAt = (passwordCost = TEST_SCRYPT_COST) =>
    resources.setup((track) =>
      track(buildApp({ db, logger: false, authentication: trustEveryCallerForTests(), passwordCost })),
    );
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase('pglite'));
      await runMigrations(db, migrations);
      app = await appAt();
    }),
  );

  const register = (target: ServiceApp, password: string) =>
    target.inject({
      method: 'POST',
      url: '/users',
      payload: { email: 'ada@example.com', name: 'Ada', password, shippingAddress: address },
    });
  const login = (target: ServiceApp, password: string) =>
    target.inject({ method: 'POST', url: '/credentials/verify', payload: { email: 'ada@example.com', password } });
  const storedHash = async () =>
    (await db.query<{ password_hash: string }>('SELECT password_hash FROM users')).rows[0]!.password_hash;

  it('refuses a common password with a 400 problem naming the field and the reason, storing nothing', async () => {
    const response = await register(app, 'iloveyou1');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/validation-failed$/),
      errors: [{ field: 'body.password', message: 'is one of the most commonly used passwords; choose another' }],
    });
    expect((await db.query('SELECT id FROM users')).rows).toHaveLength(0);
  });

  it('upgrades a hash made at an older cost on the next successful login, and only then', async () => {
    const legacyApp = await appAt({ N: 2 ** 11, r: 8, p: 1 }); // "yesterday's" cost
    expect((await register(legacyApp, 'correct horse battery')).statusCode).toBe(201);
    const legacy = await storedHash();
    expect(legacy).toMatch(/^scrypt\$2048\$/);

    expect((await login(app, 'wrong horse battery')).statusCode).toBe(401);
    expect(await storedHash()).toBe(legacy); // a failed login changes nothing

    const success = await login(app, 'correct horse battery');
    expect(success.statusCode).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^scrypt\$1024\$8\$1\$/); // today's cost (TEST_SCRYPT_COST in this test)
    await expect(verifyPassword('correct horse battery', upgraded)).resolves.toBe(true);

    expect((await login(app, 'correct horse battery')).json()).toEqual(success.json());
    expect(await storedHash()).toBe(upgraded); // already current: not rehashed again
  });
});
