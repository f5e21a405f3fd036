/**
 * TaskAccumulator: fed every finished record of a task (live, as workers post
 * them, or from a details file), it keeps what the final results need and
 * nothing more: ~80 bytes of columns per request, the exact ITL histogram and
 * per-second output token bins. add() is O(tokens); finalize() sorts the
 * columns (≈ 0.2 s at 250,000 requests), so results are ready right after
 * the last request.
 *
 * Beside this file: request-gaps.ts (the per-token hot path: ITL histogram
 * and token bins), reasoning.ts (reasoning-model sums and rows),
 * stable-itl.ts (stage 'stable' ITL when the window is known only at the end).
 */
import { ColumnStore, type ColumnName } from './columns.js';
import { commonRows, commonValueOf } from './common.js';
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import type { Slo } from '../core/slo.js';
import type { TaskIdentity } from '../core/task.js';
import { F64List } from './f64-list.js';
import { ItlHistogram, type ItlHistogramState } from './itl-histogram.js';
import { perfRows, stageValues, type StageValues } from './perf-table.js';
import { binTokens, concurrencyFromSorted, ttftByStart } from './series.js';
import { inWindow, type StableWindow } from './stable.js';
import { evalscopeSummary } from './evalscope-summary.js';
import { auditRecord, auditRows, emptyAudit, mergeAudit, type AuditSums } from './token-audit.js';
import { DEFAULT_DIALECT, viewOf, type Dialect } from './dialects.js';
import { addReasoning, emptyReasoning, mergeReasoning, reasoningRows, type ReasoningSums } from './reasoning.js';
import { addPlainGaps, binRecord } from './request-gaps.js';
import { KeptGaps, windowFor } from './stable-itl.js';
import type { RequestRecord } from '../engine/types.js';
import type { FailureRow, TaskResult } from './types.js';

export interface AccumulatorOptions {
  /** Configured batch_size (Max Concurrency row, stable window). */
  maxConcurrency: number;
  /** Goodput SLO (ms). */
  slo?: Slo;
  /** Compute Stage 'stable' rows too. */
  stable?: boolean;
  /** The stable window when already known (no gaps are kept then). */
  stableWindow?: StableWindow | null;
  /** Metric dialect (dialects.ts); default 'aisbench'. */
  dialect?: Dialect;
  /** The task counts prompts with a local tokenizer: show the server-vs-tokenizer input audit rows. */
  audit?: boolean;
}

export interface FinalizeContext extends TaskIdentity {
  stats: string[];
  interrupted: boolean;
}

/** Mergeable, structured-cloneable partial state (worker_threads). */
export interface AccumulatorState {
  columns: Record<ColumnName, Float64Array>;
  itl: ItlHistogramState;
  itlStable: ItlHistogramState | null;
  failures: Array<[string, number, string]>;
  tokBins: Float64Array;
  warmups: number;
  noDone: number;
  reasoning: ReasoningSums;
  audit: AuditSums;
}

export class TaskAccumulator {
  private store = new ColumnStore();
  private itl = new ItlHistogram();
  private itlStable: ItlHistogram | null;
  private failures = new Map<string, { count: number; example: string }>();
  private tokBins = new F64List(256);
  private kept = new KeptGaps();
  private addBin = (bin: number, tokens: number): void => this.tokBins.addAt(bin, tokens);
  /** Warmup records seen (excluded from every metric). */
  warmups = 0;
  /** Successful streams that ended without data: [DONE]. */
  noDone = 0;
  reasoning: ReasoningSums = emptyReasoning();
  audit: AuditSums = emptyAudit();
  readonly dialect: Dialect;

  constructor(readonly opts: AccumulatorOptions) {
    this.dialect = opts.dialect ?? DEFAULT_DIALECT;
    this.itlStable = opts.stable && opts.stableWindow ? new ItlHistogram() : null;
  }

  /** Non-warmup records added. */
  get counted(): number {
    return this.store.n;
  }

  add(r: RequestRecord): void {
    if (r.warmup) {
      this.warmups++;
      return;
    }
    const v = viewOf(r, this.dialect);
    const perRequestItl = this.dialect === 'aiperf';
    if (r.ok && r.noDone) this.noDone++;
    if (r.ok && r.kinds !== null) addReasoning(this.reasoning, r, r.kinds);
    if (r.ok) auditRecord(this.audit, r);
    if (v.ok) {
      const g = v.gaps;
      const k = v.k;
      if (r.kinds === null && r.chunkTokens === null && Number.isFinite(r.ttft)) {
        if (perRequestItl) binTokens(r.t0 + r.ttft, r.gapsUs, null, this.addBin);
        else addPlainGaps(this.itl, this.tokBins, r.gapsUs, r.t0 + r.ttft);
      } else {
        if (!perRequestItl) this.itl.addRequest(g, k);
        binRecord(r, this.addBin);
      }
      if (this.opts.stable && !perRequestItl) {
        const w = this.opts.stableWindow;
        if (w !== undefined) {
          if (w && inWindow(w, r.t0)) this.itlStable?.addRequest(g, k);
        } else if (g.length > 0) this.kept.keep(this.store.n, g, k);
      }
    } else {
      const code = r.code ?? 'E_UNKNOWN';
      const f = this.failures.get(code);
      if (f) f.count++;
      else this.failures.set(code, { count: 1, example: r.message ?? '' });
    }
    this.store.push({
      t0: r.t0,
      end: r.end,
      last: v.ok ? r.t0 + v.e2el : NaN,
      sched: r.sched,
      ttft: v.ok ? v.ttft : NaN,
      e2el: v.ok ? v.e2el : NaN,
      tpot: v.ok ? v.tpot : NaN,
      itlReq: v.itlReq,
      inTok: v.inTok,
      outTok: v.outTok,
      attempts: r.attempts,
      ok: v.ok ? 1 : 0,
      itlN: v.hasItl ? 1 : 0,
    });
  }

  toState(): AccumulatorState {
    return {
      columns: this.store.toState(),
      itl: this.itl.toState(),
      itlStable: this.itlStable ? this.itlStable.toState() : null,
      failures: [...this.failures].map(([c, f]) => [c, f.count, f.example]),
      tokBins: this.tokBins.view().slice(),
      warmups: this.warmups,
      noDone: this.noDone,
      reasoning: { ...this.reasoning },
      audit: { ...this.audit, out: this.audit.out ? { ...this.audit.out } : undefined },
    };
  }

  /** Merge a partial state (from a worker that used the same options, and no kept gaps). */
  mergeState(s: AccumulatorState): void {
    this.store.merge(s.columns);
    this.itl.merge(s.itl);
    if (s.itlStable) (this.itlStable ??= new ItlHistogram()).merge(s.itlStable);
    for (const [code, count, example] of s.failures) {
      const f = this.failures.get(code);
      if (f) f.count += count;
      else this.failures.set(code, { count, example });
    }
    for (let i = 0; i < s.tokBins.length; i++) if (s.tokBins[i]) this.tokBins.addAt(i, s.tokBins[i]!);
    this.warmups += s.warmups;
    this.noDone += s.noDone;
    mergeReasoning(this.reasoning, s.reasoning);
    mergeAudit(this.audit, s.audit);
  }

  finalize(ctx: FinalizeContext): TaskResult {
    const cols = this.store.columns();
    const starts = cols.t0.slice().sort();
    const ends = cols.end.slice().sort();
    const { maxConcurrency, slo } = this.opts;
    const d = this.dialect;
    const stages: StageValues[] = [stageValues(cols, null, this.itl, 'total', d)];
    const common = commonRows(cols, null, { stage: 'total', maxConcurrency, slo, dialect: d });
    if (this.noDone > 0)
      common.push({
        id: 'ended_without_done',
        name: COMMON_METRIC_NAMES.ended_without_done,
        stage: 'total',
        value: this.noDone,
        unit: '',
      });
    common.push(...auditRows(this.audit, this.opts.audit === true));
    common.push(...reasoningRows(this.reasoning));
    if (this.opts.stable) {
      const known = this.opts.stableWindow;
      const w = known !== undefined ? known : windowFor(d, cols, starts, ends, maxConcurrency);
      if (w) {
        const mask = new Uint8Array(cols.n);
        for (let i = 0; i < cols.n; i++)
          mask[i] = inWindow(w, cols.t0[i]!) && (d === 'per-token' || cols.ok[i] === 1) ? 1 : 0;
        const itl = this.stableItl(mask, w);
        stages.push(stageValues(cols, mask, itl, 'stable', d));
        common.push(
          ...commonRows(cols, mask, {
            stage: 'stable',
            maxConcurrency,
            slo,
            durationMs: w.endMs - w.startMs,
            dialect: d,
          }),
        );
      }
    }
    const failures: FailureRow[] = [...this.failures]
      .map(([code, f]) => ({ code, count: f.count, example: f.example }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return {
      key: ctx.key,
      abbr: ctx.abbr,
      dataset: ctx.dataset,
      model: ctx.model,
      perf: { stats: [...ctx.stats], rows: perfRows(stages, ctx.stats, d) },
      common,
      failures,
      series: {
        concurrency: concurrencyFromSorted(starts, ends),
        outputTokPerSec: Array.from(this.tokBins.view()),
        ttftByStart: ttftByStart(cols),
      },
      interrupted: ctx.interrupted,
      files: {},
      dialect: d,
      ...(d === 'evalscope'
        ? {
            evalscope: evalscopeSummary(
              cols,
              this.itl,
              commonValueOf(common, 'benchmark_duration') ?? NaN,
              maxConcurrency,
            ),
          }
        : {}),
      recompute: (stats: string[]) => ({ stats: [...stats], rows: perfRows(stages, stats, d) }),
    };
  }

  private stableItl(mask: Uint8Array, w: StableWindow): ItlHistogram {
    if (this.opts.stableWindow && this.itlStable && this.opts.stableWindow === w) return this.itlStable;
    return this.kept.stableOf(this.itl, mask);
  }
}
