/**
 * `--adaptive`: one pressure run whose concurrency cap follows the SLO (as
 * AIPerf's adaptive scale: raise load until an SLO filter fails, then hold).
 *
 * The window: requests SENT after the last change of the cap (so they saw
 * the new level), evaluated once `max(minSamples, 2 × cap)` of them have
 * finished, or as soon as enough of them miss a limit that the objective
 * cannot hold any more (for pNN: more than (100 − NN) % of the window).
 * An objective holds over the window as metrics/slo-rows.ts defines it (pNN of
 * the values, failures counted as infinitely slow; avg with no failure).
 *
 * A window that breaks is judged once more on fresh samples before the
 * controller acts on it (a single client stall is not a boundary).
 * Decisions:
 * 1. ramp: the cap doubles while the window holds (up to max);
 * 2. refine: after the first break, bisect between the last level that held
 *    and the lowest that broke, until they are one step apart
 *    (step = max(1, ⌈5 % of the level⌉));
 * 3. hold: keep the last level that held for --pressure-time; if the window
 *    breaks there, back off one step and keep holding.
 * Every decision is an event: in the task log, in summary/adaptive.json and
 * on the plots of summary/index.html.
 */
import { nowMs } from '../engine/clock.js';
import type { RequestRecord } from '../engine/types.js';
import { percentileSorted } from '../metrics/stats.js';
import { objectiveLabel, type SloObjective } from '../core/slo.js';

export interface AdaptiveEvent {
  /** s since the measured phase began. */
  tS: number;
  phase: 'ramp' | 'refine' | 'hold' | 'end';
  from: number;
  to: number;
  /** 'held' | 'broke' | 'start' | 'settled' | 'timeout' | 'done'. */
  why: string;
  /** Window values per objective label (ms), and its size. */
  window: Record<string, number>;
  n: number;
}

export interface AdaptiveOptions {
  objectives: SloObjective[];
  min: number;
  max: number;
  /** Hold the boundary for this long, ms. */
  holdMs: number;
  /** Samples before a window is judged. */
  minSamples?: number;
  /** A level with no verdict after this long counts as broken, ms. */
  levelTimeoutMs?: number;
  /** The ramp and refine phases end after this long (then hold the best level), ms. */
  searchBudgetMs?: number;
}

/** What the controller needs of a running task. */
export interface Controlled {
  setConcurrency(n: number): void;
  endEarly(): void;
  /** Start of the measured phase on the shared clock (0 before). */
  readonly runStart: number;
}

interface Sample {
  ok: boolean;
  ttft: number;
  tpot: number;
  e2el: number;
}

/** Judge a window: 'held', 'broke', or null when it needs more samples. */
export function judge(
  samples: readonly Sample[],
  objectives: readonly SloObjective[],
  target: number,
): { verdict: 'held' | 'broke' | null; values: Record<string, number> } {
  const values: Record<string, number> = {};
  let broke = false;
  let early = false;
  for (const o of objectives) {
    const v = samples
      .filter((s) => s.ok)
      .map((s) => s[o.metric])
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const failed = samples.filter((s) => !s.ok).length;
    const all = [...v, ...Array<number>(failed).fill(Infinity)];
    let value: number;
    let holds: boolean;
    if (o.stat === 'avg') {
      value = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      holds = failed === 0 && value <= o.limitMs;
    } else {
      value = percentileSorted(all, o.stat);
      holds = !Number.isNaN(value) && value <= o.limitMs;
      // More misses than the percentile allows over the whole target: no more samples can save it.
      const misses = all.filter((x) => !(x <= o.limitMs)).length;
      if (misses > Math.floor((target * (100 - o.stat)) / 100)) early = true;
    }
    values[objectiveLabel(o)] = value;
    if (!holds) broke = true;
  }
  if (early) return { verdict: 'broke', values };
  if (samples.length < target) return { verdict: null, values };
  return { verdict: broke ? 'broke' : 'held', values };
}

export class AdaptiveController {
  readonly events: AdaptiveEvent[] = [];
  private level: number;
  private phase: AdaptiveEvent['phase'] = 'ramp';
  private lo: number | null = null;
  private hi: number | null = null;
  /** Relative ms (records' clock) of the last change. */
  private since = 0;
  private sinceWall = 0;
  private holdStart = 0;
  private holdStartS: number | null = null;
  private confirming = false;
  private window: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** [s since start, cap] at each change (for plots). */
  readonly capSeries: Array<[number, number]> = [];

  constructor(
    private readonly task: Controlled,
    private readonly o: AdaptiveOptions,
    private readonly log: (msg: string) => void,
  ) {
    this.level = o.min;
  }

  get concurrency(): number {
    return this.level;
  }

  /** Start judging (call once the measured phase has begun: runStart > 0). */
  start(): void {
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private rel(): number {
    return this.task.runStart > 0 ? nowMs() - this.task.runStart : 0;
  }

  /** Finished records of the task (warmups ignored). */
  onRecords(records: readonly RequestRecord[]): void {
    if (this.task.runStart === 0 && this.events.length === 0) return;
    if (this.events.length === 0) this.begin();
    for (const r of records) {
      if (r.warmup || r.t0 < this.since) continue;
      const tpot = r.outTok > 1 ? (r.e2el - r.ttft) / (r.outTok - 1) : NaN;
      this.window.push({ ok: r.ok, ttft: r.ttft, tpot, e2el: r.e2el });
    }
  }

  private begin(): void {
    this.event('start', this.level, {}, 0);
    this.since = this.rel();
    this.sinceWall = nowMs();
    this.capSeries.push([this.since / 1000, this.level]);
  }

  private event(why: string, to: number, window: Record<string, number>, n: number): void {
    const e: AdaptiveEvent = {
      tS: +(this.rel() / 1000).toFixed(3),
      phase: this.phase,
      from: this.level,
      to,
      why,
      window,
      n,
    };
    this.events.push(e);
    const w = Object.entries(window)
      .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toFixed(1) : 'inf'} ms`)
      .join(', ');
    this.log(
      `adaptive ${e.phase} t=${e.tS}s: concurrency ${e.from} → ${e.to} (${why}${w ? `; window of ${n}: ${w}` : ''})`,
    );
  }

  private set(to: number, why: string, values: Record<string, number>, n: number): void {
    this.event(why, to, values, n);
    this.confirming = false;
    this.level = to;
    this.task.setConcurrency(to);
    this.since = this.rel();
    this.sinceWall = nowMs();
    this.window = [];
    this.capSeries.push([this.since / 1000, to]);
  }

  private step(c: number): number {
    return Math.max(1, Math.ceil(c * 0.05));
  }

  tick(): void {
    if (this.task.runStart === 0) return;
    if (this.events.length === 0) this.begin();
    const o = this.o;
    const now = nowMs();
    if (this.phase === 'hold' && now - this.holdStart >= o.holdMs) {
      this.event('done', this.level, {}, this.window.length);
      this.phase = 'end';
      this.stop();
      this.task.endEarly();
      return;
    }
    if (
      this.phase !== 'hold' &&
      this.phase !== 'end' &&
      this.events[0] &&
      now - this.task.runStart > (o.searchBudgetMs ?? 120_000)
    ) {
      this.settle(this.lo ?? o.min, 'timeout', {}, this.window.length);
      return;
    }
    const target = Math.max(o.minSamples ?? 8, 2 * this.level);
    const judged = judge(this.window, o.objectives, target);
    const values = judged.values;
    let verdict = judged.verdict;
    if (verdict === null && now - this.sinceWall > (o.levelTimeoutMs ?? 20_000)) verdict = 'broke';
    if (verdict === null) return;
    const n = this.window.length;
    // A broken window is judged again with fresh samples before acting: one
    // client stall (100+ ms on a loaded machine) must not end the ramp.
    if (verdict === 'broke' && !this.confirming) {
      this.confirming = true;
      this.event('broke once, confirming', this.level, values, n);
      this.since = this.rel();
      this.sinceWall = nowMs();
      this.window = [];
      return;
    }
    this.confirming = false;
    if (this.phase === 'ramp') {
      if (verdict === 'held') {
        this.lo = this.level;
        if (this.level >= o.max) this.settle(this.level, 'held at max', values, n);
        else this.set(Math.min(o.max, this.level * 2), 'held', values, n);
      } else {
        this.hi = this.level;
        if (this.lo === null) this.settle(o.min, 'broke at min', values, n);
        else this.refine('broke', values, n);
      }
    } else if (this.phase === 'refine') {
      if (verdict === 'held') this.lo = this.level;
      else this.hi = this.level;
      this.refine(verdict, values, n);
    } else if (this.phase === 'hold') {
      if (verdict === 'broke' && this.level > o.min)
        this.set(Math.max(o.min, this.level - this.step(this.level)), 'broke while holding', values, n);
      else this.window = this.window.slice(-4 * target);
    }
  }

  private refine(why: string, values: Record<string, number>, n: number): void {
    this.phase = 'refine';
    const lo = this.lo!;
    const hi = this.hi!;
    if (hi - lo <= this.step(lo)) return this.settle(lo, `${why}; boundary between ${lo} and ${hi}`, values, n);
    this.set(Math.floor((lo + hi) / 2), why, values, n);
  }

  private settle(level: number, why: string, values: Record<string, number>, n: number): void {
    this.phase = 'hold';
    this.holdStart = nowMs();
    this.set(level, why, values, n);
    this.holdStartS ??= +(this.since / 1000).toFixed(3);
  }

  /** The level held at the end (the boundary found) and the mean cap over the hold, time-weighted. */
  outcome(endS: number): {
    boundary: number;
    holdMean: number;
    holdStartS: number | null;
    events: AdaptiveEvent[];
    capSeries: Array<[number, number]>;
  } {
    let sum = 0;
    let dur = 0;
    const from = this.holdStartS ?? endS;
    for (let i = 0; i < this.capSeries.length; i++) {
      const [t, c] = this.capSeries[i]!;
      const tEnd = this.capSeries[i + 1]?.[0] ?? endS;
      const a = Math.max(t, from);
      if (tEnd > a) {
        sum += c * (tEnd - a);
        dur += tEnd - a;
      }
    }
    return {
      boundary: this.level,
      holdMean: dur > 0 ? sum / dur : this.level,
      holdStartS: this.holdStartS,
      events: [...this.events],
      capSeries: [...this.capSeries],
    };
  }
}
