/**
 * `--slo-search concurrency|rate`: the largest load in [min, max] whose task
 * meets the SLO objectives. Bracketing, then bisection (as EvalScope's
 * `--sla-auto-tune` and vLLM's `serve_sla` search): probe min (fails → no
 * answer in range) and max (passes → max), then halve the bracket
 * [highest pass, lowest fail] until it is at most `resolution` wide. That is
 * at most 2 + ⌈log2((max − min) / resolution)⌉ probes. Pass/fail is assumed
 * monotonic in load; the answer comes with the two probes that bound it.
 */
import type { LoadKind } from './sweep.js';

export interface Probe {
  value: number;
  pass: boolean;
  /** Task key of the probe. */
  key?: string;
}

export interface SearchOutcome {
  kind: LoadKind;
  min: number;
  max: number;
  resolution: number;
  /** Largest passing load, null when even min fails. */
  answer: number | null;
  /** The passing probe at the answer and the failing probe just above it (when there is one). */
  pass?: Probe;
  fail?: Probe;
  probes: Probe[];
  /** Probe budget: 2 + ⌈log2(range / resolution)⌉. */
  budget: number;
  note: string;
}

export const SEARCH_DEFAULTS = {
  concurrency: { min: 1, max: 256 },
  rate: { min: 0.5, max: 64 },
} as const;

export class SloSearch {
  readonly probes: Probe[] = [];
  private lo: number | null = null;
  private hi: number | null = null;
  readonly budget: number;

  constructor(
    readonly kind: LoadKind,
    readonly min: number,
    readonly max: number,
    readonly resolution: number,
  ) {
    this.budget = 2 + Math.max(0, Math.ceil(Math.log2((max - min) / resolution)));
  }

  /** The load to probe next, or null when the search is over. */
  next(): number | null {
    if (this.probes.length >= this.budget) return null;
    if (this.probes.length === 0) return this.min;
    if (this.lo === null) return null; // min failed
    if (this.probes.length === 1) return this.max;
    if (this.hi === null) return null; // max passed
    if (this.hi - this.lo <= this.resolution) return null;
    const mid = this.lo + (this.hi - this.lo) / 2;
    return this.kind === 'concurrency' ? Math.floor(mid) : +mid.toPrecision(12);
  }

  record(value: number, pass: boolean, key?: string): void {
    this.probes.push({ value, pass, key });
    if (pass && (this.lo === null || value > this.lo)) this.lo = value;
    if (!pass && (this.hi === null || value < this.hi)) this.hi = value;
    // A pass above a fail (noise): trust the newer probe by narrowing around it.
    if (this.lo !== null && this.hi !== null && this.lo >= this.hi) {
      if (pass) this.hi = null;
      else this.lo = null;
    }
  }

  outcome(): SearchOutcome {
    const find = (v: number | null) => (v === null ? undefined : this.probes.find((p) => p.value === v));
    const base = {
      kind: this.kind,
      min: this.min,
      max: this.max,
      resolution: this.resolution,
      probes: [...this.probes],
      budget: this.budget,
    };
    if (this.lo === null) {
      return { ...base, answer: null, fail: find(this.hi), note: `even ${this.kind} ${this.min} misses the SLO` };
    }
    if (this.hi === null) {
      return {
        ...base,
        answer: this.lo,
        pass: find(this.lo),
        note: `${this.kind} ${this.max} (the top of the range) meets the SLO: raise --search-max to look further`,
      };
    }
    const done = this.hi - this.lo <= this.resolution;
    return {
      ...base,
      answer: this.lo,
      pass: find(this.lo),
      fail: find(this.hi),
      note: done
        ? `within ${this.resolution}`
        : `stopped after ${this.probes.length} probes with the bracket ${this.lo}..${this.hi}`,
    };
  }
}
