import { concurrencySteps, type StepSeries } from './concurrency.js';
import { r1 } from './escape.js';
import type { ReportRecord } from './types.js';

/**
 * Default: with more requests than this in view, the browser draws them merged
 * per pixel row (zooming in shows single requests again).
 */
export const AGGREGATE_ABOVE = 20_000;
/**
 * Default: above this many requests the page carries fixed aggregated rows
 * instead of every request (keeps the file small: ~25 bytes per request).
 */
export const FULL_DATA_MAX = 250_000;
/** Default row count of the fixed aggregated timeline. */
export const AGGREGATE_ROWS = 2_000;

/** One request per row, sorted by send time. Times in ms, rounded to 0.1. */
export interface ExactRows {
  /** Send time. */
  t0: number[];
  /** TTFT, -1 when no token arrived. */
  ttft: number[];
  /** E2EL for a success; time to failure (end - t0) for a failure. */
  dur: number[];
  /** 1 = success, 0 = failure. */
  ok: number[];
  /** Dataset entry id of each row. */
  id: number[];
  /** Failure code and message by row index (failures only). */
  fail: Record<string, string>;
}

/** Consecutive requests (by send time) merged into one row each. Times in ms. */
export interface AggregatedRows {
  /** Requests per row (the last row may hold fewer). */
  size: number;
  /** Successful requests of the row: earliest send, -1 when none succeeded. */
  start: number[];
  /** Where TTFT turns into decode: start + (sum TTFT / sum E2EL) of the span. */
  split: number[];
  /** Latest last-token time of the row's successes. */
  end: number[];
  /** Successes, failures in the row. */
  nOk: number[];
  nFail: number[];
  ttftMean: number[];
  ttftMax: number[];
  e2elMean: number[];
  e2elMax: number[];
  /** Failures of the row: earliest send and latest end, -1 when none. */
  failStart: number[];
  failEnd: number[];
}

export interface PlotData {
  requests: number;
  failed: number;
  /** [first send, last end], ms. */
  span: [number, number];
  /** Every request (up to fullDataMax requests). */
  exact?: ExactRows;
  /** Fixed rows of consecutive requests (above fullDataMax). */
  aggregated?: AggregatedRows;
  /** More requests than this in view are drawn merged per pixel row. */
  mergeAbove: number;
  concurrency: StepSeries;
}

export interface PlotDataOptions {
  /** See AGGREGATE_ABOVE. */
  aggregateAbove?: number;
  /** See FULL_DATA_MAX. */
  fullDataMax?: number;
  /** See AGGREGATE_ROWS. */
  aggregateRows?: number;
}

function dur(r: ReportRecord): number {
  const d = r.ok && Number.isFinite(r.e2el) ? r.e2el : r.end - r.t0;
  return Number.isFinite(d) ? Math.max(0, d) : 0;
}

/** Measured requests sorted by send time (ties by id); warmups dropped. */
export function measured(records: readonly ReportRecord[]): ReportRecord[] {
  return records
    .filter((r) => !r.warmup && Number.isFinite(r.t0))
    .sort((a, b) => a.t0 - b.t0 || (a.id ?? 0) - (b.id ?? 0));
}

export function preparePlotData(records: readonly ReportRecord[], opts: PlotDataOptions = {}): PlotData {
  const rs = measured(records);
  const n = rs.length;
  const starts = rs.map((r) => r1(r.t0));
  const ends = rs.map((r) => r1(Number.isFinite(r.end) ? Math.max(r.end, r.t0 + dur(r)) : r.t0 + dur(r)));
  const concurrency = concurrencySteps(starts, ends);
  let failed = 0;
  let lastEnd = 0;
  for (let i = 0; i < n; i++) {
    if (!rs[i]!.ok) failed++;
    if (ends[i]! > lastEnd) lastEnd = ends[i]!;
  }
  const mergeAbove = opts.aggregateAbove ?? AGGREGATE_ABOVE;
  const data: PlotData = { requests: n, failed, span: [n ? starts[0]! : 0, lastEnd], concurrency, mergeAbove };
  if (n > (opts.fullDataMax ?? FULL_DATA_MAX)) data.aggregated = aggregate(rs, opts.aggregateRows ?? AGGREGATE_ROWS);
  else data.exact = exactRows(rs);
  return data;
}

function exactRows(rs: ReportRecord[]): ExactRows {
  const out: ExactRows = { t0: [], ttft: [], dur: [], ok: [], id: [], fail: {} };
  rs.forEach((r, i) => {
    out.t0.push(r1(r.t0));
    out.ttft.push(r.ok && Number.isFinite(r.ttft) ? r1(r.ttft) : -1);
    out.dur.push(r1(dur(r)));
    out.ok.push(r.ok ? 1 : 0);
    out.id.push(r.id ?? i);
    if (!r.ok) out.fail[i] = ([r.code, r.message].filter(Boolean).join(': ') || 'failed').slice(0, 300);
  });
  return out;
}

function aggregate(rs: ReportRecord[], maxRows: number): AggregatedRows {
  const size = Math.ceil(rs.length / Math.max(1, maxRows));
  const a: AggregatedRows = {
    size,
    start: [],
    split: [],
    end: [],
    nOk: [],
    nFail: [],
    ttftMean: [],
    ttftMax: [],
    e2elMean: [],
    e2elMax: [],
    failStart: [],
    failEnd: [],
  };
  for (let lo = 0; lo < rs.length; lo += size) {
    let start = Infinity,
      end = -Infinity,
      nOk = 0,
      nFail = 0;
    let sumTtft = 0,
      maxTtft = 0,
      sumE2el = 0,
      maxE2el = 0;
    let fStart = Infinity,
      fEnd = -Infinity;
    for (let i = lo; i < Math.min(rs.length, lo + size); i++) {
      const r = rs[i]!;
      const d = dur(r);
      if (!r.ok) {
        nFail++;
        fStart = Math.min(fStart, r.t0);
        fEnd = Math.max(fEnd, r.t0 + d);
        continue;
      }
      const ttft = Number.isFinite(r.ttft) ? Math.min(r.ttft, d) : 0;
      nOk++;
      start = Math.min(start, r.t0);
      end = Math.max(end, r.t0 + d);
      sumTtft += ttft;
      sumE2el += d;
      maxTtft = Math.max(maxTtft, ttft);
      maxE2el = Math.max(maxE2el, d);
    }
    const share = sumE2el > 0 ? sumTtft / sumE2el : 0;
    a.start.push(nOk ? r1(start) : -1);
    a.split.push(nOk ? r1(start + share * (end - start)) : -1);
    a.end.push(nOk ? r1(end) : -1);
    a.nOk.push(nOk);
    a.nFail.push(nFail);
    a.ttftMean.push(nOk ? r1(sumTtft / nOk) : 0);
    a.ttftMax.push(r1(maxTtft));
    a.e2elMean.push(nOk ? r1(sumE2el / nOk) : 0);
    a.e2elMax.push(r1(maxE2el));
    a.failStart.push(nFail ? r1(fStart) : -1);
    a.failEnd.push(nFail ? r1(fEnd) : -1);
  }
  return a;
}
