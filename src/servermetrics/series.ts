/**
 * From raw readings to the task's server series and its averages. Counters
 * are taken as differences from the task's first reading (the baseline,
 * scraped before its first request), so a server that served other work
 * before still reports this task's share:
 *   prefix hit % = 100 × Δhits ÷ Δqueries (cumulative over the task),
 *   generation tokens/s = Δgeneration tokens ÷ Δt between consecutive readings,
 *   spec acceptance % = 100 × Δaccepted ÷ Δdraft tokens (cumulative).
 */
import type { CommonRow } from '../metrics/types.js';
import type { ServerReading } from './vocab.js';

/** One line of `<dataset>_server_metrics.jsonl`. */
export interface ServerPoint {
  /** Seconds since the task's run start (negative before it: warmup). */
  t: number;
  missing?: true;
  running?: number;
  waiting?: number;
  kv_pct?: number;
  prefix_hit_pct?: number;
  preemptions?: number;
  gen_tok_s?: number;
  spec_accept_pct?: number;
}

export interface TimedReading {
  /** Absolute ms (nowMs clock). */
  at: number;
  reading: ServerReading | null;
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;
const diff = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined ? a - b : undefined;

export function toPoint(
  cur: TimedReading,
  prev: TimedReading | null,
  baseline: ServerReading | null,
  runStart: number,
): ServerPoint {
  const t = round((cur.at - runStart) / 1000, 3);
  const r = cur.reading;
  if (!r) return { t, missing: true };
  const p: ServerPoint = { t };
  if (r.running !== undefined) p.running = r.running;
  if (r.waiting !== undefined) p.waiting = r.waiting;
  if (r.kvUsage !== undefined) p.kv_pct = round(100 * r.kvUsage);
  const dq = diff(r.prefixQueries, baseline?.prefixQueries);
  const dh = diff(r.prefixHits, baseline?.prefixHits);
  if (dq !== undefined && dh !== undefined && dq > 0) p.prefix_hit_pct = round((100 * dh) / dq);
  else if (r.prefixHitRate !== undefined) p.prefix_hit_pct = round(100 * r.prefixHitRate);
  const dp = diff(r.preemptions, baseline?.preemptions);
  if (dp !== undefined) p.preemptions = dp;
  const dg = diff(r.generationTokens, prev?.reading?.generationTokens);
  if (dg !== undefined && prev && cur.at > prev.at) p.gen_tok_s = round((dg * 1000) / (cur.at - prev.at), 1);
  else if (r.genTokPerSec !== undefined) p.gen_tok_s = round(r.genTokPerSec, 1);
  const dd = diff(r.specDraftTokens, baseline?.specDraftTokens);
  const da = diff(r.specAccepted, baseline?.specAccepted);
  if (dd !== undefined && da !== undefined && dd > 0) p.spec_accept_pct = round((100 * da) / dd);
  return p;
}

const meanOf = (pts: ServerPoint[], k: keyof ServerPoint): number | undefined => {
  const v = pts.map((p) => p[k]).filter((x): x is number => typeof x === 'number');
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};

/** Common Metric rows from the task's readings: means of the gauges, totals of the counters. */
export function serverRows(readings: readonly TimedReading[], points: readonly ServerPoint[]): CommonRow[] {
  const good = readings.filter((r): r is TimedReading & { reading: ServerReading } => r.reading !== null);
  const during = points.filter((p) => !p.missing && p.t >= 0);
  const first = good[0];
  const last = good.at(-1);
  if (!first || !last) return [];
  const missing = points.some((p) => p.missing);
  const rows: CommonRow[] = [];
  const row = (name: string, value: number | undefined, unit = ''): void => {
    if (value !== undefined && Number.isFinite(value))
      rows.push({ name: missing ? `${name} (partial)` : name, stage: 'total', value, unit });
  };
  row('Server Running (mean)', meanOf(during, 'running'));
  row('Server Waiting (mean)', meanOf(during, 'waiting'));
  row('Server KV Cache Usage (mean)', meanOf(during, 'kv_pct'), '%');
  const final = toPoint(last, null, first.reading, 0);
  row('Server Prefix Cache Hit Rate', final.prefix_hit_pct, '%');
  row('Server Preemptions', final.preemptions);
  const dg = diff(last.reading.generationTokens, first.reading.generationTokens);
  row(
    'Server Generation Throughput',
    dg !== undefined && last.at > first.at ? (dg * 1000) / (last.at - first.at) : meanOf(during, 'gen_tok_s'),
    'token/s',
  );
  row('Server Spec Decode Acceptance', final.spec_accept_pct, '%');
  return rows;
}
