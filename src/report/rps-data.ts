import { r1 } from './escape.js';
import { measured } from './plot-data.js';
import { rampRate } from '../core/ramp.js';
import { percentileNearestRankSorted as percentile } from '../metrics/stats.js';
import type { RampUp, ReportMeta, ReportRecord } from './types.js';

/** Send rates and gaps of the scheduled requests. Times in ms, rates in requests/s. */
export interface RpsData {
  /** Scheduled requests (sched >= 0), warmups excluded. */
  requests: number;
  /** Bin width of the rate series, ms. */
  binMs: number;
  /** Bin starts, ms since run start. */
  binT: number[];
  planned: number[];
  actual: number[];
  /** Mean and max send delay (t0 - sched) of the requests planned in each bin, ms; null when empty. */
  delayMean: (number | null)[];
  delayMax: (number | null)[];
  /** Configured rate at planned send times: [t ms, requests/s] pairs; empty when unknown. */
  configured: { t: number[]; rps: number[] };
  /** Gap histogram: bin lower edges (ms), counts of planned and actual gaps. */
  gapEdges: number[];
  gapWidth: number;
  gapPlanned: number[];
  gapActual: number[];
  /** Gaps beyond the last bin (planned, actual). */
  gapOverflow: [number, number];
  /** Send delay t0 - sched, ms. */
  delay: { mean: number; p50: number; p99: number; max: number };
}

/** Bin width from the 1-2-5 series giving about `target` bins over `spanMs`. */
export function niceBin(spanMs: number, target: number): number {
  const raw = Math.max(spanMs / target, 1e-3);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

/** Configured rate of request i of n: vLLM's ramp-up moves with the request index (core/ramp.ts). */
function plannedRate(ramp: RampUp, i: number, n: number): number {
  return rampRate(ramp, n > 1 ? i / (n - 1) : 1);
}

function gaps(times: Float64Array): Float64Array {
  const g = new Float64Array(Math.max(0, times.length - 1));
  for (let i = 1; i < times.length; i++) g[i - 1] = times[i]! - times[i - 1]!;
  return g;
}

export function prepareRpsData(records: readonly ReportRecord[], meta: ReportMeta): RpsData {
  const rs = measured(records).filter((r) => r.sched >= 0);
  const n = rs.length;
  const sched = Float64Array.from(rs, (r) => r.sched).sort();
  const sent = Float64Array.from(rs, (r) => r.t0).sort();
  const span = n ? Math.max(sched[n - 1]!, sent[n - 1]!) : 0;
  const binMs = niceBin(span, 100);
  const bins = Math.max(1, Math.floor(span / binMs) + 1);
  const planned = new Array<number>(bins).fill(0);
  const actual = new Array<number>(bins).fill(0);
  const dSum = new Array<number>(bins).fill(0);
  const dMax = new Array<number>(bins).fill(-Infinity);
  const delays = new Float64Array(n);
  rs.forEach((r, i) => {
    const b = Math.min(bins - 1, Math.floor(r.sched / binMs));
    planned[b]!++;
    actual[Math.min(bins - 1, Math.max(0, Math.floor(r.t0 / binMs)))]!++;
    const d = r.t0 - r.sched;
    delays[i] = d;
    dSum[b]! += d;
    dMax[b] = Math.max(dMax[b]!, d);
  });
  const perSec = 1000 / binMs;
  const data: RpsData = {
    requests: n,
    binMs,
    binT: planned.map((_, b) => r1(b * binMs)),
    planned: planned.map((c) => r1(c * perSec)),
    actual: actual.map((c) => r1(c * perSec)),
    delayMean: planned.map((c, b) => (c ? r1(dSum[b]! / c) : null)),
    delayMax: planned.map((c, b) => (c ? r1(dMax[b]!) : null)),
    configured: configuredRate(sched, meta),
    gapEdges: [],
    gapWidth: 0,
    gapPlanned: [],
    gapActual: [],
    gapOverflow: [0, 0],
    delay: delayStats(delays),
  };
  histogram(data, gaps(sched), gaps(sent));
  return data;
}

function configuredRate(sched: Float64Array, meta: ReportMeta): RpsData['configured'] {
  const n = sched.length;
  const t: number[] = [];
  const rps: number[] = [];
  if (n === 0) return { t, rps };
  if (meta.rampUp) {
    const step = Math.max(1, Math.floor(n / 500));
    for (let i = 0; i < n; i += step) {
      t.push(r1(sched[i]!));
      rps.push(r1(plannedRate(meta.rampUp, i, n)));
    }
    t.push(r1(sched[n - 1]!));
    rps.push(r1(plannedRate(meta.rampUp, n - 1, n)));
  } else if (meta.requestRate && meta.requestRate > 0) {
    t.push(0, r1(sched[n - 1]!));
    rps.push(meta.requestRate, meta.requestRate);
  }
  return { t, rps };
}

function delayStats(delays: Float64Array): RpsData['delay'] {
  if (delays.length === 0) return { mean: NaN, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(delays).sort();
  let sum = 0;
  for (const d of sorted) sum += d;
  return {
    mean: r1(sum / sorted.length),
    p50: r1(percentile(sorted, 50)),
    p99: r1(percentile(sorted, 99)),
    max: r1(sorted[sorted.length - 1]!),
  };
}

/** 60 equal bins from 0 to the larger p99 of both gap sets; the rest counts as overflow. */
function histogram(data: RpsData, plannedGaps: Float64Array, actualGaps: Float64Array): void {
  const top = Math.max(
    percentile(Float64Array.from(plannedGaps).sort(), 99) || 0,
    percentile(Float64Array.from(actualGaps).sort(), 99) || 0,
  );
  const bins = 60;
  const width = niceBin(top * 1.05 || 1, bins);
  const count = Math.max(1, Math.ceil((top * 1.05 || 1) / width));
  data.gapWidth = width;
  data.gapEdges = Array.from({ length: count }, (_, b) => Number((b * width).toPrecision(6)));
  const fill = (g: Float64Array, k: 0 | 1): number[] => {
    const c = new Array<number>(count).fill(0);
    for (const x of g) {
      const b = Math.floor(Math.max(0, x) / width);
      if (b < count) c[b]!++;
      else data.gapOverflow[k]++;
    }
    return c;
  };
  data.gapPlanned = fill(plannedGaps, 0);
  data.gapActual = fill(actualGaps, 1);
}
