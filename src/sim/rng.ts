/**
 * The simulator's view of the one PRNG (core/random.ts, mulberry32): it must
 * draw the same output lengths, jitters and faults for the same seed, so runs
 * are replayable.
 */
import { mulberry32 } from '../core/random.js';

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
  const source = mulberry32(seed);
  const next = (): number => source.next();
  return {
    next,
    int: (min, max) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
    symmetric: (half) => (half > 0 ? (next() * 2 - 1) * half : 0),
    // p <= 0 draws nothing, so enabling one fault does not shift the others' sequence
    // more than necessary and a fault-free run consumes no extra randomness.
    chance: (p) => (p > 0 ? next() < p : false),
  };
}
