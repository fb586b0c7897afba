/** A small seeded PRNG (mulberry32), so a chaos run with the same seed makes the same choices in the same order. */
export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** `CHAOS_SEED` / `FUZZ_SEED` style: the value from the environment, else one derived from the clock (printed). */
export function seedFrom(value: string | undefined, fallback = Date.now() % 2_147_483_647): number {
  if (value === undefined || value === '') return fallback;
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got "${value}"`);
  return seed;
}
