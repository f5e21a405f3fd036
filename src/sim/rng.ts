/**
 * Seeded pseudo-random numbers (mulberry32): the simulator must draw the same
 * output lengths, jitters and faults for the same seed, so runs are replayable.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform in [-half, +half]. */
  symmetric(half: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
    symmetric: (half) => (half > 0 ? (next() * 2 - 1) * half : 0),
    // p <= 0 draws nothing, so enabling one fault does not shift the others' sequence
    // more than necessary and a fault-free run consumes no extra randomness.
    chance: (p) => (p > 0 ? next() < p : false),
  };
}
