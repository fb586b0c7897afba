/**
 * Credential check for the gateway's token endpoint (services only, app.ts): the password hash never leaves this service. A hash made at an
 * older scrypt cost is replaced after a successful check — the only moment the plain password is at hand.
 */
import { randomBytes } from 'node:crypto';
import { HttpProblem, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { hashPassword, needsRehash, verifyPassword, type ScryptCost } from '../domain/password';
import type { UserStore } from '../user-store';

const CredentialsBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export function registerCredentialRoutes(app: ServiceApp, users: UserStore, passwordCost: ScryptCost): void {
  // Verified when the email is unknown, at the current cost, so both failures take the same time (no user probing).
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('base64url'), passwordCost));

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
      const { email, password } = request.body;
      const credentials = await users.findCredentials(email);
      const valid = await verifyPassword(password, credentials?.passwordHash ?? (await decoy()));
      if (!credentials || !valid) {
        throw new HttpProblem(401, 'invalid-credentials', 'Invalid credentials', 'email or password is wrong');
      }
      if (needsRehash(credentials.passwordHash, passwordCost)) {
        const upgraded = await hashPassword(password, passwordCost);
        await users.replacePasswordHash(credentials.id, credentials.passwordHash, upgraded);
        request.log.info({ userId: credentials.id }, 'password hash upgraded to the current scrypt cost');
      }
      return { userId: credentials.id };
    },
  );
}
