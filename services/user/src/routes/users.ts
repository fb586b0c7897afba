/**
 * The user API in two groups, registered for their callers in app.ts: registering and listing users is the
 * gateway's (a service's) job; a user's profile is read and updated by that user or a service. Schemas sit next to
 * their handlers (validation + types + OpenAPI); domain refusals are answered by routes/domain-problems.ts.
 */
import {
  eventMetadataOf,
  HttpProblem,
  mayActFor,
  notFound,
  ProblemSchema,
  Type,
  type ServiceApp,
} from '@shop/service-kit';
import { hashPassword, type ScryptCost } from '../domain/password';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../domain/password-policy';
import { AddressSchema, UserSchema } from '../domain/user';
import type { UserStore } from '../user-store';

const UserId = Type.Object({ id: Type.String({ format: 'uuid' }) });

const RegisterUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({
      minLength: MIN_PASSWORD_LENGTH,
      maxLength: 200,
      description:
        'At least 8 characters, not a commonly used password (NIST SP 800-63B); stored only as a scrypt hash',
    }),
    shippingAddress: AddressSchema,
  },
  { additionalProperties: false },
);

const UpdateProfileBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), shippingAddress: Type.Optional(AddressSchema) },
  { additionalProperties: false, minProperties: 1 },
);

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const problem = Type.Ref(ProblemSchema);

/** The same shape as a schema validation failure, so a client handles every 400 on this route the same way. */
function weakPassword(reason: string): HttpProblem {
  return new HttpProblem(400, 'validation-failed', 'Request validation failed', `body.password ${reason}`, {
    errors: [{ field: 'body.password', message: reason }],
  });
}

export function registerUserAdministrationRoutes(app: ServiceApp, users: UserStore, passwordCost: ScryptCost): void {
  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Register a user',
        body: RegisterUserBody,
        response: { 201: UserSchema, 400: problem, 409: problem },
      },
    },
    async (request, reply) => {
      const { password, ...profile } = request.body;
      const reason = passwordProblem(password, { email: profile.email });
      if (reason) throw weakPassword(reason);
      const passwordHash = await hashPassword(password, passwordCost);
      const user = await users.register(
        { ...profile, email: profile.email.trim(), passwordHash },
        eventMetadataOf(request),
      );
      return reply.code(201).header('location', `/users/${user.id}`).send(user);
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users, oldest first (keyset pagination)',
        querystring: ListQuery,
        response: {
          200: Type.Object({ users: Type.Array(UserSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => users.list(request.query),
  );
}

export function registerProfileRoutes(app: ServiceApp, users: UserStore): void {
  app.get(
    '/users/:id',
    { schema: { tags: ['users'], summary: 'Get a user', params: UserId, response: { 200: UserSchema, 404: problem } } },
    async (request) => {
      // Another customer's profile is reported as missing, not forbidden: its existence is not theirs to know.
      const user = mayActFor(request, request.params.id) ? await users.findById(request.params.id) : undefined;
      if (!user) throw notFound('User', request.params.id);
      return user;
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Update a user profile',
        params: UserId,
        body: UpdateProfileBody,
        response: { 200: UserSchema, 400: problem, 404: problem },
      },
    },
    async (request) => {
      const user = mayActFor(request, request.params.id)
        ? await users.updateProfile(request.params.id, request.body, eventMetadataOf(request))
        : undefined;
      if (!user) throw notFound('User', request.params.id);
      return user;
    },
  );
}
