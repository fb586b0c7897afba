/**
 * Password hashing with scrypt (memory-hard, in Node's standard library) at OWASP's current minimum: N=2^17, r=8,
 * p=1 — 128 MiB and a few hundred milliseconds per hash, which is the point: every guess costs an attacker the same.
 * The stored string carries its own parameters and salt — `scrypt$N$r$p$salt$hash` — so a hash made at an older cost
 * still verifies, and `needsRehash` tells the login to store a new one at today's cost (upgrade on next login).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet: scrypt with N=2^17 (128 MiB), r=8, p=1. The production default. */
export const OWASP_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** The parameters a stored hash may ask for: anything above would let a corrupt row exhaust memory. */
const MAX_N = 2 ** 20;

/**
 * scrypt needs 128·N·r bytes; Node refuses anything over `maxmem` (32 MiB by default, too little for N=2^17), so it is
 * set to what the parameters need plus headroom — explicitly, so a bad parameter fails instead of allocating more.
 */
const maxmemFor = ({ N, r }: ScryptCost) => 128 * N * r + 16 * 1024 * 1024;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: maxmemFor(cost) };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = OWASP_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface StoredHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): StoredHash | undefined {
  const [scheme, N, r, p, salt, key, ...rest] = stored.split('$');
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  const plausible =
    Number.isInteger(cost.N) &&
    cost.N > 1 &&
    cost.N <= MAX_N &&
    (cost.N & (cost.N - 1)) === 0 &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= 32 &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= 16;
  if (scheme !== 'scrypt' || !plausible || !salt || !key || rest.length > 0) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when `stored` was made at another cost than `cost`: store a fresh hash after the next successful login. */
export function needsRehash(stored: string, cost: ScryptCost = OWASP_SCRYPT_COST): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.cost.N !== cost.N || parsed.cost.r !== cost.r || parsed.cost.p !== cost.p;
}

/**
 * For tests only, passed explicitly (`buildApp({ passwordCost: TEST_SCRYPT_COST })`): 1/128 of the work and memory,
 * so suites that register hundreds of users stay fast. Never a default anywhere.
 */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };
