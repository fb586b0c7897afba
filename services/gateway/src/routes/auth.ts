/** `POST /api/auth/token`: email + password, checked by the user service, exchanged for a short-lived customer token. */
import { HttpProblem, signCustomerToken, type ServiceApp } from '@shop/service-kit';
import { callUpstream } from '../proxy/forward';
import type { Upstream } from '../proxy/upstream';
import { commonProblems, problem, TokenRequest, TokenResponse } from './public-schemas';

export interface AuthRouteDeps {
  users: Upstream;
  serviceToken: () => string;
  tokenTtlSeconds: number;
  /** Limit for the credential check: it hashes the password (scrypt, deliberately slow). */
  passwordTimeoutMs: number;
  /** Route config for rate limiting (stricter, per IP). */
  rateLimit: object;
}

export function registerAuthRoutes(
  app: ServiceApp,
  { users, serviceToken, tokenTtlSeconds, passwordTimeoutMs, rateLimit }: AuthRouteDeps,
) {
  app.post(
    '/api/auth/token',
    {
      config: { anonymous: true, rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for an access token',
        description: `The token identifies the customer to every service; it expires after ${tokenTtlSeconds} s.`,
        body: TokenRequest,
        response: { 200: TokenResponse, 400: problem, ...commonProblems },
      },
    },
    async (request) => {
      // The gateway asks in its own name: only services may check credentials.
      const response = await callUpstream(users, request, {
        path: '/credentials/verify',
        authorization: serviceToken(),
        timeoutMs: passwordTimeoutMs,
      });
      if (response.status === 401) {
        throw new HttpProblem(401, 'invalid-credentials', 'Invalid credentials', 'email or password is wrong');
      }
      if (response.status !== 200) {
        request.log.error({ status: response.status, body: response.body.toString() }, 'credential check failed');
        throw new HttpProblem(502, 'bad-gateway', 'Bad gateway', 'the user service could not check the credentials');
      }
      const { userId } = JSON.parse(response.body.toString()) as { userId: string };
      const accessToken = signCustomerToken(app, userId, `${tokenTtlSeconds}s`);
      return { accessToken, tokenType: 'Bearer' as const, expiresIn: tokenTtlSeconds };
    },
  );
}
