/**
 * What a new password must be, per NIST SP 800-63B (§3.1.1.2, "memorized secret verifiers"): at least 8 characters,
 * any characters allowed (no composition rules — they make passwords harder to remember, not to guess), and not one
 * that attackers try first: a known common password (data/common-passwords.txt), a run of one character or a
 * sequence (`aaaaaaaa`, `12345678`, `abcdefgh`), or a context-specific word (the email, its local part, the shop's
 * name). The answer says which rule failed, so the user can choose better.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_PASSWORD_LENGTH = 8;
const SERVICE_WORDS = ['resilientshop', 'resilient-shop', 'resilient shop'];

/** Loaded once: the blocklist ships with the service (dist/domain → ../../data). */
let commonPasswords: ReadonlySet<string> | undefined;
function blocklist(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    readFileSync(join(__dirname, '..', '..', 'data', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line.length > 0 && !line.startsWith('#')),
  );
  return commonPasswords;
}

function isRepetitiveOrSequential(characters: string[]): boolean {
  const codes = characters.map((character) => character.codePointAt(0)!);
  const steps = new Set(codes.slice(1).map((code, i) => code - codes[i]!));
  // One step for the whole string: 0 is a repeated character, +1/-1 an ascending or descending run.
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

/** Why `password` may not be used by the owner of `email`, or undefined when it may. */
export function passwordProblem(password: string, context: { email: string }): string | undefined {
  const characters = [...password]; // code points: an emoji is one character, as NIST counts them
  if (characters.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (blocklist().has(lower)) return 'is one of the most commonly used passwords; choose another';
  if (isRepetitiveOrSequential(characters)) return 'is a repeated character or a simple sequence; choose another';
  const email = context.email.trim().toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (lower === email || lower === localPart) return 'must not be your email address';
  if (SERVICE_WORDS.some((word) => lower.includes(word))) return 'must not contain the name of this shop';
  return undefined;
}
