/**
 * `/api/users`: registration (anonymous, sent in the gateway's name), and the caller's own profile and order history.
 * `me` stands for the token's subject. Another customer's id is answered 404 here without an upstream call — the
 * user service would answer the same, since it authorises by the forwarded token too.
 */
import { customerOf, notFound, Type, type FastifyRequest, type ServiceApp } from '@shop/service-kit';
import { forward } from '../proxy/forward';
import type { Upstream } from '../proxy/upstream';
import { commonProblems, OrderHistory, problem, ProfileUpdate, Registration, User } from './public-schemas';

const UserRef = Type.Object({ id: Type.String({ description: '`me`, or your own user id' }) });

/** The user id a path names, if it is the caller's own; 404 otherwise. */
function ownUserId(request: FastifyRequest, { id }: { id: string }): string {
  const customerId = customerOf(request);
  if (id !== 'me' && id !== customerId) throw notFound('User', id);
  return customerId;
}

export function registerUserRoutes(
  app: ServiceApp,
  {
    users,
    serviceToken,
    passwordTimeoutMs,
  }: { users: Upstream; serviceToken: () => string; /** registration hashes the password */ passwordTimeoutMs: number },
) {
  app.post(
    '/api/users',
    {
      config: { anonymous: true },
      schema: {
        tags: ['users'],
        summary: 'Register (no token needed); then get a token at /api/auth/token',
        body: Registration,
        response: { 201: User, 400: problem, 409: problem, ...commonProblems },
      },
    },
    // Registration is anonymous at the edge; the user service only lets services register users.
    (request, reply) =>
      forward(users, request, reply, { path: '/users', authorization: serviceToken(), timeoutMs: passwordTimeoutMs }),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Your profile (`/api/users/me`)',
        params: UserRef,
        response: { 200: User, 404: problem, ...commonProblems },
      },
    },
    (request, reply) => forward(users, request, reply, { path: `/users/${ownUserId(request, request.params)}` }),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change your name or shipping address',
        params: UserRef,
        body: ProfileUpdate,
        response: { 200: User, 400: problem, 404: problem, ...commonProblems },
      },
    },
    (request, reply) => forward(users, request, reply, { path: `/users/${ownUserId(request, request.params)}` }),
  );

  app.get(
    '/api/users/:id/orders',
    {
      schema: {
        tags: ['users'],
        summary: 'Your order history (`/api/users/me/orders`; follows order events, so it may lag a moment)',
        params: UserRef,
        response: { 200: OrderHistory, 404: problem, ...commonProblems },
      },
    },
    (request, reply) => forward(users, request, reply, { path: `/users/${ownUserId(request, request.params)}/orders` }),
  );
}
