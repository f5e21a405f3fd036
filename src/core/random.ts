/**
 * The one seeded PRNG (mulberry32) and the distributions the datasets, the arrival
 * process and the simulator draw from. Math.random is never used: the same seed must give the
 * same dataset and the same schedule on every machine.
 */

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/**
 * mulberry32: 32-bit state, fast, good enough statistically for lengths and
 * gaps (we need reproducibility, not cryptographic quality).
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Integer in [min, max], both inclusive. */
export function uniformInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}

/** Standard normal by Box-Muller (one value per call; the twin is dropped for simplicity). */
export function normal(rng: Rng): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma(shape, scale) by Marsaglia-Tsang; shape < 1 uses the boost
 * Gamma(shape) = Gamma(shape + 1) · U^(1/shape).
 */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u <= 0) u = rng.next();
    return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * Bounded Zipf sampler over [min, max]: P(min + k - 1) ∝ k^-alpha for
 * k = 1..(max - min + 1), by inverse CDF on a precomputed table (binary
 * search), so it is exact and needs no rejection loop.
 */
export function zipfSampler(alpha: number, min: number, max: number): (rng: Rng) => number {
  const n = max - min + 1;
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += Math.pow(k, -alpha);
    cdf[k - 1] = sum;
  }
  return (rng) => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return min + lo;
  };
}

/** 32-bit FNV-1a of a string: derives stable sub-seeds (e.g. per hash id). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
