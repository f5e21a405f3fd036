/** The Common Metric rows of one stage (definitions.ts states each formula). */
import { isGood, tpotOf, type Slo } from './definitions.js';
import type { Columns } from './columns.js';
import { F64List } from './f64-list.js';
import { percentileSorted } from './stats.js';
import type { CommonRow, Stage } from './types.js';
import { sloRows } from '../capacity/slo.js';

export interface CommonOptions {
  stage: Stage;
  /** Configured batch_size. */
  maxConcurrency: number;
  slo?: Slo;
  /** Benchmark Duration to use (ms) instead of max(end) − min(t0): the stable window's length. */
  durationMs?: number;
}

export function commonRows(cols: Columns, mask: Uint8Array | null, o: CommonOptions): CommonRow[] {
  let total = 0;
  let ok = 0;
  let retried = 0;
  let minT0 = Infinity;
  let maxEnd = -Infinity;
  let sumE2el = 0;
  let sumTtft = 0;
  let inTok = 0;
  let outTok = 0;
  let good = 0;
  const delays = new F64List();
  for (let i = 0; i < cols.n; i++) {
    if (mask !== null && mask[i] !== 1) continue;
    total++;
    const t0 = cols.t0[i]!;
    if (t0 < minT0) minT0 = t0;
    const end = cols.end[i]!;
    if (end > maxEnd) maxEnd = end;
    if (cols.attempts[i]! > 1) retried++;
    const sched = cols.sched[i]!;
    if (sched >= 0) delays.push(t0 - sched);
    if (cols.ok[i] !== 1) continue;
    ok++;
    const e2el = cols.e2el[i]!;
    const ttft = cols.ttft[i]!;
    if (Number.isFinite(e2el)) sumE2el += e2el;
    if (Number.isFinite(ttft)) sumTtft += ttft;
    inTok += cols.inTok[i]!;
    outTok += cols.outTok[i]!;
    if (o.slo && isGood(o.slo, ttft, tpotOf(e2el, ttft, cols.outTok[i]!), e2el)) good++;
  }
  const duration = o.durationMs ?? (total > 0 ? maxEnd - minT0 : 0);
  const durS = duration / 1000;
  const rate = (x: number): number => (durS > 0 ? x / durS : NaN);
  const row = (name: string, value: number, unit = ''): CommonRow => ({ name, stage: o.stage, value, unit });
  const rows: CommonRow[] = [
    row('Benchmark Duration', duration, 'ms'),
    row('Total Requests', total),
    row('Failed Requests', total - ok),
    row('Success Requests', ok),
    row('Concurrency', duration > 0 ? sumE2el / duration : NaN),
    row('Max Concurrency', o.maxConcurrency),
    row('Request Throughput', rate(ok), 'req/s'),
    row('Total Input Tokens', inTok),
    row('Prefill Token Throughput', sumTtft > 0 ? (inTok * 1000) / sumTtft : NaN, 'token/s'),
    row('Total Generated Tokens', outTok),
    row('Input Token Throughput', rate(inTok), 'token/s'),
    row('Output Token Throughput', rate(outTok), 'token/s'),
    row('Total Token Throughput', rate(inTok + outTok), 'token/s'),
  ];
  if (delays.length > 0) {
    const sorted = delays.view().slice().sort();
    let sum = 0;
    for (const d of sorted) sum += d;
    rows.push(row('Send Delay Mean', sum / sorted.length, 'ms'), row('Send Delay P99', percentileSorted(sorted, 99), 'ms'));
  }
  if (o.slo && (o.slo.ttftMs !== undefined || o.slo.tpotMs !== undefined || o.slo.e2elMs !== undefined)) {
    rows.push(row('Goodput', rate(good), 'req/s'), row('Good Requests', total > 0 ? (good * 100) / total : NaN, '%'));
  }
  if (retried > 0) rows.push(row('Retried Requests', retried));
  if (o.slo?.objectives?.length) rows.push(...sloRows(cols, mask, o.slo.objectives, o.stage));
  return rows;
}

/** Common Metric rows whose value is a count (printed without decimals). */
export const COUNT_ROWS: ReadonlySet<string> = new Set([
  'Total Requests',
  'Failed Requests',
  'Success Requests',
  'Max Concurrency',
  'Total Input Tokens',
  'Total Generated Tokens',
  'Retried Requests',
  'SLO Met',
]);
