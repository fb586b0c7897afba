/**
 * An operator's service token for the system under test (HS256, `role: service`, issuer `resilient-shop`, the run's
 * JWT_SECRET): catalogue writes such as stocking the benchmark product are refused to anyone else.
 */
import { createHmac } from 'node:crypto';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signServiceToken(secret: string, service = 'bench', ttlSeconds = 3_600): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ sub: service, role: 'service', iss: 'resilient-shop', iat: now, exp: now + ttlSeconds }));
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}
