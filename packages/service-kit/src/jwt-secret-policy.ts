/**
 * What a production JWT secret must not be. Anyone holding the secret can sign a token for any customer or service,
 * so a secret that can be guessed or read somewhere is no secret:
 *
 * - **published**: every secret written in this repository (the development default, the compose default, the ones
 *   tests and docs use) is public the moment the repository is. `test/jwt-secret-policy.test.ts` scans the repository
 *   for secret literals and fails if one is missing here.
 * - **short**: fewer than 32 bytes (HS256 keys should be at least as long as the hash, RFC 7518 §3.2).
 * - **entropy-poor**: text that is long but predictable — one repeated character, a repeated unit (`abcabc…`), a tiny
 *   alphabet, or a low character-level entropy. A random value (see `SECRET_GENERATION_HINT`) passes easily.
 *
 * Outside production the development default keeps `pnpm --filter … start` working on a fresh clone.
 */

/** Used only when JWT_SECRET is unset outside production. Public, like everything in this list. */
export const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';

export const PUBLISHED_JWT_SECRETS: ReadonlyMap<string, string> = new Map([
  [DEV_JWT_SECRET, 'the development default'],
  ['compose-local-only-secret-change-me-0123456789', 'the former docker-compose default'],
  ['test-secret-that-is-at-least-32-characters-long', 'a test secret'],
  ['secret-of-at-least-32-characters-long', 'a test secret'],
  ['gateway-tests-secret-0123456789abcdef', 'a test secret'],
  ['not-the-shared-secret-but-long-enough', 'a test secret'],
  ['another-secret-that-is-long-enough-000', 'a test secret'],
  ['order-service-tests-secret-0123456789abcdef', 'a test secret'],
  ['process-test-secret-at-least-32-characters', 'a test secret'],
  ['process-test-secret-of-at-least-32-chars', 'a test secret'],
  ['a-test-secret-of-at-least-32-characters', 'a test secret'],
  ['contract-tests-secret-0123456789abcdef', 'a test secret'],
  ['reliability-fuzz-secret-0123456789abcdef', 'a test secret'],
  ['another-secret-0123456789abcdef-xyz', 'a test secret'],
]);

export const MIN_SECRET_BYTES = 32;
const MIN_DISTINCT_CHARACTERS = 10;
const MIN_BITS_PER_CHARACTER = 3;

export const SECRET_GENERATION_HINT = `generate one with: node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))"`;

/** Shannon entropy of the character distribution, in bits per character (0 for `aaaa`, ~6 for random base64). */
function bitsPerCharacter(text: string): number {
  const counts = new Map<string, number>();
  const characters = [...text];
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / characters.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True when `text` is one shorter unit repeated (`abab`, `xyzxyzxyz`): found again inside itself doubled. */
function isRepetition(text: string): boolean {
  return text.length > 1 && (text + text).indexOf(text, 1) < text.length;
}

/** Why `secret` must not sign production tokens, or undefined when it may. */
export function productionSecretProblem(secret: string): string | undefined {
  const published = PUBLISHED_JWT_SECRETS.get(secret.trim());
  if (published) return `is ${published}, which is published in this repository`;
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) return `is ${bytes} bytes; at least ${MIN_SECRET_BYTES} are needed`;
  const distinct = new Set(secret).size;
  if (isRepetition(secret) || distinct < MIN_DISTINCT_CHARACTERS || bitsPerCharacter(secret) < MIN_BITS_PER_CHARACTER) {
    return 'is too predictable (repeated characters or a tiny alphabet)';
  }
  return undefined;
}
