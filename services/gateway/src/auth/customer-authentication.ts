/**
 * Authentication at the edge. Every `/api` route needs a valid customer token unless its route config says
 * `anonymous: true` (deny by default: a new route is protected until someone decides otherwise). Service tokens are
 * not accepted from outside: they are for calls between services.
 *
 * Two steps, so rate limiting sits between them: `onRequest` only *identifies* the caller (a verified customer or
 * nobody), the rate limiter then keys by that identity, and `rejectAnonymousCallers` (a `preParsing` hook added after
 * the limiter) rejects anonymous callers of protected routes. A flood of requests with bad tokens is therefore
 * limited per IP like any anonymous traffic, and an anonymous caller's body is never read: without a token the answer
 * is 401 whatever the body, never a 400 that would describe the route's validation rules.
 */
import jwt from '@fastify/jwt';
import { accessTokenOptions, HttpProblem, type FastifyRequest, type ServiceApp } from '@shop/service-kit';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a customer token (token issuance, registration). */
    anonymous?: boolean;
  }
  interface FastifyRequest {
    /** Why the bearer token was not accepted, when one was sent. */
    tokenRejection?: string;
  }
}

export interface CustomerAuthenticationOptions {
  /** HMAC secret shared with the internal services (JWT_SECRET). */
  secret: string;
  /** Lifetime of the customer tokens this gateway signs. */
  tokenTtlSeconds: number;
}

const PROTECTED_PREFIX = '/api/';

export async function registerCustomerAuthentication(app: ServiceApp, options: CustomerAuthenticationOptions) {
  // The same claims, algorithm and checks as the services' registerAuthentication: one token contract.
  await app.register(jwt, accessTokenOptions(options.secret, `${options.tokenTtlSeconds}s`));

  app.addHook('onRequest', async (request) => {
    if (!request.headers.authorization) return;
    try {
      const claims = await request.jwtVerify<{ sub: string; role: string }>();
      if (claims.role === 'customer') request.principal = { kind: 'customer', customerId: claims.sub };
      else request.tokenRejection = 'only customer tokens are accepted here';
    } catch (error) {
      request.tokenRejection = (error as Error).message;
    }
  });
}

/**
 * Call after rate limiting is registered and before the routes are: the limiter adds its `preParsing` hook to each
 * route as it is declared (route hooks run after app-wide ones), so the rejection is appended to the route the same
 * way, after the limiter's.
 */
export function rejectAnonymousCallers(app: ServiceApp): void {
  async function rejectAnonymous(request: FastifyRequest): Promise<void> {
    if (request.principal?.kind === 'customer') return;
    throw new HttpProblem(
      401,
      'unauthenticated',
      'Authentication required',
      request.tokenRejection ?? 'missing bearer token',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(PROTECTED_PREFIX) || route.config?.anonymous) return;
    const existing = route.preParsing ? [route.preParsing].flat() : [];
    route.preParsing = [...existing, rejectAnonymous];
  });
}
