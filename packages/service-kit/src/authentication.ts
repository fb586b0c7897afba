/**
 * Zero-trust between services: every internal service verifies the JWT on each request itself, instead of trusting
 * that "only the gateway can reach me". The gateway issues short-lived customer tokens; services calling each other
 * (the order saga calling inventory, payment, shipping) present short-lived service tokens signed with the same key.
 * Routes then authorise by the verified principal, never by client-supplied identity headers.
 */
import jwt, { type FastifyJWTOptions } from '@fastify/jwt';
import { ACCESS_TOKEN, type AccessTokenClaims } from '@shop/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceApp } from './create-app';
import { HttpProblem } from './problem';

export type Principal = { kind: 'customer'; customerId: string } | { kind: 'service'; service: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, from a verified token; undefined on public routes and in an app that identifies nobody. */
    principal?: Principal;
  }
}

type TokenClaims = AccessTokenClaims;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

/**
 * The one way this system signs and verifies tokens (the gateway registers @fastify/jwt with the same options):
 * HS256 only (no `alg: none`, no algorithm confusion), and `exp`, `iss`, `aud`, `sub` required and checked.
 */
/** Distinct tokens whose verification each process remembers (LRU): every service and active customer, with room. */
const VERIFIED_TOKEN_CACHE_SIZE = 1_000;

export function accessTokenOptions(secret: string, expiresIn = '15m'): FastifyJWTOptions {
  return {
    secret,
    sign: { algorithm: ACCESS_TOKEN.algorithm, iss: ACCESS_TOKEN.issuer, aud: ACCESS_TOKEN.audience, expiresIn },
    verify: {
      // A caller sends the same token on every request for its lifetime (the order service's on every saga step), so
      // the verified claims are kept by token in a bounded LRU: a hit costs one hash instead of an HMAC and a JSON
      // decode. An entry never outlives the token's `exp`, and rejections are not kept.
      cache: VERIFIED_TOKEN_CACHE_SIZE,
      algorithms: [ACCESS_TOKEN.algorithm],
      allowedIss: ACCESS_TOKEN.issuer,
      allowedAud: ACCESS_TOKEN.audience,
      requiredClaims: [...ACCESS_TOKEN.requiredClaims],
    },
  };
}

export interface AuthenticationOptions {
  /** Shared HMAC secret (JWT_SECRET); at least 32 characters. */
  secret: string;
  /** Extra routes reachable without a token, as path prefixes (health, docs and metrics are always public). */
  publicPaths?: string[];
}

/** The permissive mode, which a test has to ask for by name: see `trustEveryCallerForTests`. */
export interface TrustEveryCallerForTests {
  readonly trustEveryCallerForTests: true;
}

/**
 * For in-process tests of one service that are not about authorisation: every request is taken to come from a
 * service (`trusted-test-caller`), without a token. Nothing else is permissive — an app given no `authentication`
 * identifies nobody, so every guard refuses (see caller-guards.ts).
 */
export function trustEveryCallerForTests(): TrustEveryCallerForTests {
  return { trustEveryCallerForTests: true };
}

/** How an app identifies its callers: verified bearer tokens (every main.ts), or a test's explicit trust. */
export type Authentication = AuthenticationOptions | TrustEveryCallerForTests;

export const TRUSTED_TEST_CALLER: Principal = { kind: 'service', service: 'trusted-test-caller' };

// Probes, API docs and Prometheus scrapes carry no token. `/admin/*` (fault injection) is deliberately not here: it
// changes how the service behaves, so it needs a service token like every internal route.
const ALWAYS_PUBLIC = ['/health/', '/docs', '/metrics'];

export function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(
    401,
    'unauthenticated',
    'Authentication required',
    detail,
    {},
    { 'www-authenticate': 'Bearer' },
  );
}

export async function registerAuthentication(app: ServiceApp, options: Authentication): Promise<void> {
  if ('trustEveryCallerForTests' in options) {
    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.principal = TRUSTED_TEST_CALLER;
    });
    return;
  }
  await app.register(jwt, accessTokenOptions(options.secret));
  const publicPaths = [...ALWAYS_PUBLIC, ...(options.publicPaths ?? [])];

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (publicPaths.some((prefix) => path === prefix || path.startsWith(prefix))) return;
    if (!request.headers.authorization) throw unauthenticated('missing bearer token');
    let claims: TokenClaims;
    try {
      claims = await request.jwtVerify<TokenClaims>();
    } catch (error) {
      throw unauthenticated((error as Error).message);
    }
    if (claims.role === 'customer') request.principal = { kind: 'customer', customerId: claims.sub };
    else if (claims.role === 'service') request.principal = { kind: 'service', service: claims.sub };
    else throw unauthenticated('token has no recognised role');
  });
}

/** True when the app verifies tokens, so it can also sign them (the order service's calls to its participants). */
export function verifiesTokens(authentication: Authentication | undefined): authentication is AuthenticationOptions {
  return authentication !== undefined && 'secret' in authentication;
}

/** Signs a service token for calls this service makes to others (cache it; it is valid for `expiresIn`). */
export function signServiceToken(app: ServiceApp, service: string, expiresIn = '15m'): string {
  return app.jwt.sign({ sub: service, role: 'service' }, { expiresIn });
}

export function signCustomerToken(app: ServiceApp, customerId: string, expiresIn = '15m'): string {
  return app.jwt.sign({ sub: customerId, role: 'customer' }, { expiresIn });
}
