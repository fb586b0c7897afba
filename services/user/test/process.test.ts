/**
 * The real process, as an operator runs it: `node dist/main.js` (built by turbo before tests run).
 * Checks start-up on PGlite, graceful shutdown with requests in flight, and a clear failure on bad config.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, startServiceProcess } from '@shop/testing';

const main = join(__dirname, '..', 'dist', 'main.js');
const JWT_SECRET = 'process-test-secret-of-at-least-32-chars';

describe('user-service process', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'user-service-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves on PGlite, is ready, and drains in-flight requests on SIGTERM before exiting 0', async () => {
    // PASSWORD_SCRYPT_LOG2_N=14: the previous default cost, so the registrations below take ~50 ms (not OWASP's ~0.5 s).
    const env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', JWT_SECRET, PASSWORD_SCRYPT_LOG2_N: '14' };
    const service = startServiceProcess({ main, env });
    try {
      const url = await service.url;
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${url}/docs`)).status).toBe(200);

      // Each registration spends ~50 ms hashing, so these are still running when the signal arrives.
      const registrations = Array.from({ length: 10 }, (_, i) =>
        fetch(`${url}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(JWT_SECRET, { sub: 'gateway', role: 'service' }) },
          body: JSON.stringify({
            email: `drain${i}@example.com`,
            name: 'Drain',
            password: 'long enough password',
            shippingAddress: { line1: '1 St', city: 'X', postalCode: '1', country: 'GB' },
          }),
        }).then((response) => response.status),
      );
      await Promise.race(registrations);
      service.child.kill('SIGTERM');

      expect(await Promise.all(registrations)).toEqual(Array(10).fill(201));
      // Exit code 0 after every in-flight request was answered: a graceful drain.
      expect(await service.exited).toEqual({ code: 0, signal: null });
    } finally {
      service.child.kill('SIGKILL');
    }
  }, 120_000); // a PGlite process start on a busy CI machine

  it('exits non-zero with one clear line when PORT is not a number', async () => {
    const service = startServiceProcess({ main, env: { PORT: 'abc', DATA_DIR: dataDir } });
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.output().stderr.trim().split('\n')).toEqual([
      'user-service: Invalid configuration: PORT="abc": expected integer',
    ]);
  });
});
