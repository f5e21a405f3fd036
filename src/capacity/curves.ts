/**
 * The curves of a sweep or search, shared by the terminal view (braille) and
 * summary/index.html (SVG): points averaged per load value (repeats), in load
 * order, and the SLO limit each latency curve is held against.
 */
import type { CapacityReport } from './campaign.js';
import type { PointRow } from './points.js';

export interface Curve {
  title: string;
  xLabel: string;
  yUnit: string;
  /** [x, y] in x order (scatter for the Pareto front). */
  points: Array<[number, number]>;
  scatter: boolean;
  /** Horizontal SLO line (ms), when an objective is on this metric. */
  slo?: number;
  /** Labels of the points (load values), for the Pareto front. */
  labels?: string[];
}

/** Mean of every metric per (base, load value). */
function meanPoints(points: readonly PointRow[]): PointRow[] {
  const groups = new Map<string, PointRow[]>();
  for (const p of points) {
    if (p.value === undefined) continue;
    const k = `${p.base}\u0000${p.value}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups.values()]
    .map((g) => {
      const m: PointRow = { ...g[0]! };
      for (const key of Object.keys(m) as Array<keyof PointRow>) {
        if (typeof m[key] === 'number' && key !== 'value' && key !== 'run') {
          const xs = g.map((p) => p[key] as number).filter(Number.isFinite);
          (m as unknown as Record<string, number>)[key] = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
        }
      }
      return m;
    })
    .sort((a, b) => a.value! - b.value!);
}

/** The limit of the first objective on `metric` with a percentile ≥ 90 (or any), for a p99 curve. */
function sloLimit(objectives: readonly string[], metric: string): number | undefined {
  const hit = objectives.map((o) => /^(\w+):(\w+(?:\.\d+)?)<=([\d.]+)$/.exec(o)).find((m) => m && m[1] === metric);
  return hit ? Number(hit[3]) : undefined;
}

/** One set of curves per model × dataset task of the run. */
export function capacityCurves(report: CapacityReport): Array<{ base: string; curves: Curve[] }> {
  const byBase = new Map<string, PointRow[]>();
  for (const p of meanPoints(report.points)) byBase.set(p.base, [...(byBase.get(p.base) ?? []), p]);
  const x = report.kind === 'rate' ? 'request rate (req/s)' : 'concurrency';
  return [...byBase].map(([base, pts]) => ({
    base,
    curves: [
      {
        title: 'Output token throughput',
        xLabel: x,
        yUnit: 'token/s',
        points: pts.map((p) => [p.value!, p.outTokPerS] as [number, number]),
        scatter: false,
      },
      {
        title: 'TTFT p99',
        xLabel: x,
        yUnit: 'ms',
        points: pts.map((p) => [p.value!, p.ttftP99] as [number, number]),
        scatter: false,
        slo: sloLimit(report.objectives, 'ttft'),
      },
      {
        title: 'TPOT p99',
        xLabel: x,
        yUnit: 'ms',
        points: pts.map((p) => [p.value!, p.tpotP99] as [number, number]),
        scatter: false,
        slo: sloLimit(report.objectives, 'tpot'),
      },
      {
        title: 'Per-user vs total (Pareto front)',
        xLabel: 'total output token/s',
        yUnit: 'tok/s per user',
        points: pts.map((p) => [p.outTokPerS, p.perUserTokPerS] as [number, number]),
        scatter: true,
        labels: pts.map((p) => String(p.value)),
      },
    ],
  }));
}
