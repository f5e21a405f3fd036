/**
 * The run-level files of a capacity run, under `summary/`:
 *   sweep.csv, sweep.json      one row per task (point, run, probe)
 *   repeats.csv, repeats.json  with --num-runs: mean, sd, CV, 95 % CI per metric per point
 * and the lines plain output prints about them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { POINT_METRICS, type PointMetric, type PointRow } from './points.js';
import { formatSpread, spread, type Spread } from './repeats.js';
import { pointLabel } from './sweep.js';
import { RunLayout } from '../core/run-layout.js';

export interface RepeatGroup {
  /** `abbr/dataset` or `abbr/dataset @c=16`. */
  key: string;
  base: string;
  value?: number;
  runs: number;
  metrics: Record<PointMetric, Spread>;
  /** Metrics whose CV is above the threshold. */
  flagged: PointMetric[];
}

export function repeatGroups(points: readonly PointRow[], cvThresholdPct: number): RepeatGroup[] {
  const groups = new Map<string, PointRow[]>();
  for (const p of points) {
    if (p.run === undefined) continue;
    const k = p.kind && p.value !== undefined ? `${p.base} ${pointLabel(p.kind, p.value)}` : p.base;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups].map(([key, rows]) => {
    const metrics = Object.fromEntries(POINT_METRICS.map((m) => [m.id, spread(rows.map((r) => r[m.id]))])) as Record<
      PointMetric,
      Spread
    >;
    const flagged = POINT_METRICS.filter((m) => m.id !== 'failed' && metrics[m.id].cvPct > cvThresholdPct).map(
      (m) => m.id,
    );
    return { key, base: rows[0]!.base, value: rows[0]!.value, runs: rows.length, metrics, flagged };
  });
}

const round = (v: number): number | null => (Number.isFinite(v) ? +v.toPrecision(10) : null);

export function writeSweepFiles(runDir: string, points: readonly PointRow[], extra: Record<string, unknown>): string[] {
  const dir = path.join(runDir, RunLayout.summary);
  mkdirSync(dir, { recursive: true });
  const head = ['task', 'base', 'load', 'value', 'run', ...POINT_METRICS.map((m) => m.id), 'success', 'slo_met'];
  const rows = points.map((p) => [
    p.key,
    p.base,
    p.kind ?? '',
    p.value ?? '',
    p.run ?? '',
    ...POINT_METRICS.map((m) => round(p[m.id]) ?? ''),
    p.success,
    p.sloMet === undefined ? '' : p.sloMet ? 1 : 0,
  ]);
  writeFileSync(path.join(dir, 'sweep.csv'), stringify([head, ...rows]));
  const json = {
    ...extra,
    units: Object.fromEntries(POINT_METRICS.map((m) => [m.id, m.unit])),
    points: points.map((p) => ({ ...p, ...Object.fromEntries(POINT_METRICS.map((m) => [m.id, round(p[m.id])])) })),
  };
  writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(json, null, 2) + '\n');
  return [RunLayout.summaryFile('sweep.csv'), RunLayout.summaryFile('sweep.json')];
}

export function writeRepeatFiles(runDir: string, groups: readonly RepeatGroup[], cvThresholdPct: number): string[] {
  const dir = path.join(runDir, RunLayout.summary);
  mkdirSync(dir, { recursive: true });
  const head = ['task', 'metric', 'unit', 'n', 'mean', 'sd', 'cv_pct', 'ci95_low', 'ci95_high', 'cv_flag'];
  const rows: unknown[][] = [];
  for (const g of groups) {
    for (const m of POINT_METRICS) {
      const s = g.metrics[m.id];
      rows.push([
        g.key,
        m.id,
        m.unit,
        s.n,
        round(s.mean),
        round(s.sd),
        round(s.cvPct),
        round(s.mean - s.ci95),
        round(s.mean + s.ci95),
        g.flagged.includes(m.id) ? 1 : 0,
      ]);
    }
  }
  writeFileSync(path.join(dir, 'repeats.csv'), stringify([head, ...rows].map((r) => r.map((c) => c ?? ''))));
  writeFileSync(
    path.join(dir, 'repeats.json'),
    JSON.stringify({ cvThresholdPct, groups }, (_k, v) => (typeof v === 'number' ? round(v) : v), 2) + '\n',
  );
  return [RunLayout.summaryFile('repeats.csv'), RunLayout.summaryFile('repeats.json')];
}

/** Plain-output lines: mean ± CI of the headline metrics per repeated task. */
export function repeatLines(groups: readonly RepeatGroup[], cvThresholdPct: number): string[] {
  const out: string[] = [];
  const shown: PointMetric[] = ['ttftAvg', 'ttftP99', 'tpotAvg', 'tpotP99', 'e2elAvg', 'reqPerS', 'outTokPerS'];
  for (const g of groups) {
    out.push(
      `${g.key}: ${g.runs} runs${g.flagged.length ? ` (CV above ${cvThresholdPct}%: ${g.flagged.join(', ')})` : ''}`,
    );
    for (const id of shown) {
      const m = POINT_METRICS.find((x) => x.id === id)!;
      out.push(`  ${m.label.padEnd(24)} ${formatSpread(g.metrics[id], m.unit, cvThresholdPct)}`);
    }
  }
  return out;
}

/** A fixed-width table of the points (plain output). */
export function pointTable(points: readonly PointRow[]): string {
  const cols: Array<[string, (p: PointRow) => string]> = [
    ['task', (p) => p.key],
    ['req/s', (p) => fmt(p.reqPerS)],
    ['out tok/s', (p) => fmt(p.outTokPerS)],
    ['tok/s/user', (p) => fmt(p.perUserTokPerS)],
    ['TTFT p99 ms', (p) => fmt(p.ttftP99)],
    ['TPOT p99 ms', (p) => fmt(p.tpotP99)],
    ['E2EL avg ms', (p) => fmt(p.e2elAvg)],
    ['fail', (p) => String(p.failed)],
    ['SLO', (p) => (p.sloMet === undefined ? '-' : p.sloMet ? 'pass' : 'FAIL')],
  ];
  const cells = [cols.map((c) => c[0]), ...points.map((p) => cols.map((c) => c[1](p)))];
  const w = cols.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '-';
  // Loads and counts (1, 16, 64 requests; 0 failed) read as whole numbers.
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
