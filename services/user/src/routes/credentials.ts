/** Credential check for the gateway's token endpoint: the password hash never leaves this service. */
import { HttpProblem, ProblemSchema, requireServiceCaller, Type, type ServiceApp } from '@shop/service-kit';
import { verifyPassword } from '../domain/password';
import type { UserStore } from '../user-store';

const CredentialsBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** A valid-looking hash verified when the email is unknown, so both failures take the same time (no user probing). */
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function registerCredentialRoutes(app: ServiceApp, users: UserStore): void {
  app.post(
    '/credentials/verify',
    {
      schema: {
        tags: ['credentials'],
        summary: 'Check an email and password; answers the user id (service callers only)',
        body: CredentialsBody,
        response: { 200: Type.Object({ userId: Type.String() }), 401: Type.Ref(ProblemSchema) },
      },
    },
    async (request) => {
      await requireServiceCaller(request);
      const credentials = await users.findCredentials(request.body.email);
      const valid = await verifyPassword(request.body.password, credentials?.passwordHash ?? DECOY_HASH);
      if (!credentials || !valid) {
        throw new HttpProblem(401, 'invalid-credentials', 'Invalid credentials', 'email or password is wrong');
      }
      return { userId: credentials.id };
    },
  );
}
