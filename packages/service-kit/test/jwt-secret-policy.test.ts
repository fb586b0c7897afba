/**
 * Every JWT secret written anywhere in this repository is public, so production must refuse it. This scans the
 * repository's text files for secret literals (`JWT_SECRET=…`, `JWT_SECRET: '…'`, `secret: '…'`, `SECRET = '…'`,
 * compose's `${JWT_SECRET:-…}`) and checks each is refused — a new test secret that is not listed in
 * src/jwt-secret-policy.ts fails here, before it can become somebody's production key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { productionSecretProblem } from '../src';

const repoRoot = join(__dirname, '..', '..', '..');
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.data', '.git', '.turbo', 'coverage']);
const TEXT_FILE = /\.(ts|js|mjs|cjs|json|md|ya?ml|env|sh)$|^Dockerfile$|^\.env/;

const SECRET_LITERALS = [
  /JWT_SECRET:-([^}\s]+)\}/g, // compose default
  /JWT_SECRET=([^\s'"`<>$)]{8,})/g, // shell, docs, .env
  /(?:JWT_SECRET|SECRET|secret)\s*[:=]\s*['"]([^'"]{8,})['"]/g, // code and YAML
  /['"]([^'"\s]*secret[^'"\s]*)['"]/gi, // a literal passed straight to a signer: signTestToken('another-secret-…')
];
// Shorter "secret" literals are names (`AWS_SECRET_ACCESS_KEY`), not keys: a key is at least 32 characters.
const MIN_LITERAL_LENGTH = 24;

function* textFiles(directory: string): Generator<string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) yield* textFiles(join(directory, entry.name));
    } else if (
      TEXT_FILE.test(entry.name) &&
      entry.name !== 'pnpm-lock.yaml' &&
      join(directory, entry.name) !== __filename
    ) {
      yield join(directory, entry.name);
    }
  }
}

function secretLiterals(): { file: string; secret: string }[] {
  const found: { file: string; secret: string }[] = [];
  for (const file of textFiles(repoRoot)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of SECRET_LITERALS) {
      for (const match of text.matchAll(pattern)) {
        if (match[1]!.length >= MIN_LITERAL_LENGTH) found.push({ file: relative(repoRoot, file), secret: match[1]! });
      }
    }
  }
  return found;
}

describe('secrets published in this repository', () => {
  const literals = secretLiterals();

  it('finds the secrets the repository is known to contain (the scan works)', () => {
    const secrets = literals.map(({ secret }) => secret);
    expect(secrets).toEqual(expect.arrayContaining(['dev-only-secret-do-not-use-in-production-0123456789']));
    expect(secrets).toEqual(expect.arrayContaining(['gateway-tests-secret-0123456789abcdef']));
  });

  it('are all refused in production', () => {
    const accepted = literals.filter(({ secret }) => productionSecretProblem(secret) === undefined);
    expect(accepted).toEqual([]);
  });
});
