/**
 * `aisbench-tui compare RUN_A RUN_B`: every task found in both run folders,
 * every metric of its result files, A against B. Direction-aware: for a
 * latency (TTFT, TPOT, ITL, E2EL, send delay) or a failure count lower is
 * better; for a throughput, goodput or SLO attainment higher is better;
 * counts that only describe the workload (tokens, duration, concurrency)
 * have no direction and are never a regression.
 *   delta = B − A;  % = delta / |A| × 100
 *   regression = the change is in the worse direction by more than the
 *   threshold % (a failure count going from 0 to more is always one).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../core/errors.js';
import { findRun } from '../output/run-folder.js';
import { taskKey } from '../core/task.js';
import { RunLayout, TASK_FILE_SUFFIX } from '../core/run-layout.js';

export type Better = 'lower' | 'higher' | 'none';

export interface MetricValue {
  task: string;
  metric: string;
  unit: string;
  value: number;
}

export interface CompareRow {
  task: string;
  metric: string;
  unit: string;
  a: number;
  b: number;
  delta: number;
  /** NaN when A is 0 or missing. */
  pct: number;
  better: Better;
  /** 'regression' | 'improved' | '' beyond the threshold. */
  mark: 'regression' | 'improved' | '';
}

export interface Comparison {
  a: string;
  b: string;
  thresholdPct: number;
  rows: CompareRow[];
  onlyA: string[];
  onlyB: string[];
}

export function betterOf(metric: string): Better {
  const m = metric.toLowerCase();
  if (/^(ttft|tpot|itl|e2el)\b|send delay|failed requests|retried/.test(m)) return 'lower';
  if (/throughput|goodput|good requests|attainment|slo met/.test(m)) return 'higher';
  return 'none';
}

/** A folder, or a run name (timestamp) inside the work dir. */
export function resolveRun(spec: string, workDir: string): string {
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    if (!existsSync(path.join(spec, RunLayout.performances)))
      throw new UsageError(`compare: ${spec} is not a run folder (no performances/)`);
    return spec;
  }
  if (/^\d{8}_\d{6}(_\d+)?$/.test(spec)) return findRun(workDir, spec);
  throw new UsageError(`compare: no run folder or run timestamp ${JSON.stringify(spec)} (looked in ${workDir})`);
}

/** First number of a cell like '123.4 ms' (NaN for '-'). */
const cellNumber = (s: string): number => {
  const m = /^-?\d+(\.\d+)?(e[+-]?\d+)?/i.exec(s.trim());
  return m ? Number(m[0]) : NaN;
};

/** Every metric of every task of a run: Performance Parameters (total stage) and Common Metric. */
export function loadRunMetrics(runDir: string): MetricValue[] {
  const perf = path.join(runDir, RunLayout.performances);
  const out: MetricValue[] = [];
  for (const abbr of readdirSync(perf).sort()) {
    const dir = path.join(perf, abbr);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith(TASK_FILE_SUFFIX.json) || f.endsWith(TASK_FILE_SUFFIX.meta)) continue;
      const ds = f.slice(0, -5);
      const task = taskKey(abbr, ds);
      const csvFile = path.join(dir, `${ds}.csv`);
      if (existsSync(csvFile)) {
        const rows = parse(readFileSync(csvFile, 'utf8'), { relax_column_count: true }) as string[][];
        const head = rows[0] ?? [];
        for (const r of rows.slice(1)) {
          if (r[1] !== 'total') continue;
          for (let i = 2; i < head.length; i++) {
            if (head[i] === 'N') continue;
            const unit = /[a-z/]+$/i.exec(r[i]?.trim() ?? '')?.[0] ?? '';
            out.push({
              task,
              metric: `${r[0]} ${head[i]}`,
              unit: /^\d/.test(unit) ? '' : unit,
              value: cellNumber(r[i] ?? ''),
            });
          }
        }
      }
      let json: { _raw?: Record<string, Record<string, number | null>> } & Record<string, Record<string, string>>;
      try {
        json = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
      } catch {
        continue;
      }
      for (const [name, stages] of Object.entries(json._raw ?? {})) {
        const v = stages.total;
        const shown = json[name]?.total ?? '';
        const unit = /\s([a-z/%]+)$/i.exec(shown)?.[1] ?? '';
        out.push({ task, metric: name, unit, value: v === null || v === undefined ? NaN : v });
      }
    }
  }
  return out;
}

export function compareRuns(aDir: string, bDir: string, thresholdPct: number): Comparison {
  const a = loadRunMetrics(aDir);
  const b = loadRunMetrics(bDir);
  const key = (m: MetricValue) => `${m.task}\u0000${m.metric}`;
  const bMap = new Map(b.map((m) => [key(m), m]));
  const tasksA = new Set(a.map((m) => m.task));
  const tasksB = new Set(b.map((m) => m.task));
  const rows: CompareRow[] = [];
  for (const ma of a) {
    const mb = bMap.get(key(ma));
    if (!mb) continue;
    const better = betterOf(ma.metric);
    const delta = mb.value - ma.value;
    const pct = ma.value !== 0 && Number.isFinite(ma.value) ? (delta * 100) / Math.abs(ma.value) : NaN;
    let mark: CompareRow['mark'] = '';
    if (better !== 'none' && Number.isFinite(delta) && delta !== 0) {
      const worse = better === 'lower' ? delta > 0 : delta < 0;
      // From 0 (e.g. no failed request) any change is beyond every threshold.
      const beyond = Number.isNaN(pct) ? ma.value === 0 : Math.abs(pct) > thresholdPct;
      if (beyond) mark = worse ? 'regression' : 'improved';
    }
    rows.push({ task: ma.task, metric: ma.metric, unit: ma.unit, a: ma.value, b: mb.value, delta, pct, better, mark });
  }
  return {
    a: aDir,
    b: bDir,
    thresholdPct,
    rows,
    onlyA: [...tasksA].filter((t) => !tasksB.has(t)),
    onlyB: [...tasksB].filter((t) => !tasksA.has(t)),
  };
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(4);
};

/** Cells of one row: metric, A, B, delta, %, mark. */
export function rowCells(r: CompareRow): string[] {
  const pct = Number.isFinite(r.pct)
    ? `${r.pct >= 0 ? '+' : ''}${r.pct.toFixed(1)}%`
    : r.a === 0 && r.delta !== 0
      ? 'new'
      : '-';
  const arrow = r.better === 'lower' ? '↓' : r.better === 'higher' ? '↑' : ' ';
  const mark = r.mark === 'regression' ? 'REGRESSION' : r.mark === 'improved' ? 'improved' : '';
  return [
    `${r.metric}${r.unit ? ` (${r.unit})` : ''} ${arrow}`,
    num(r.a),
    num(r.b),
    `${r.delta >= 0 ? '+' : ''}${num(r.delta)}`,
    pct,
    mark,
  ];
}

/** The plain table (one block per task), for --no-tui and CI logs. */
export function comparisonText(c: Comparison, only: 'all' | 'marked' = 'all'): string {
  const lines = [`A: ${c.a}`, `B: ${c.b}`, `threshold ${c.thresholdPct}% (↓ lower is better, ↑ higher is better)`];
  const tasks = [...new Set(c.rows.map((r) => r.task))];
  const head = ['metric', 'A', 'B', 'delta', '%', ''];
  for (const t of tasks) {
    const rows = c.rows.filter((r) => r.task === t && (only === 'all' || r.mark !== ''));
    if (rows.length === 0) continue;
    const cells = [head, ...rows.map(rowCells)];
    const w = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
    lines.push('', `task ${t}:`);
    for (const r of cells)
      lines.push(
        r
          .map((x, i) => (i === 0 || i === 5 ? x.padEnd(w[i]!) : x.padStart(w[i]!)))
          .join('  ')
          .trimEnd(),
      );
  }
  for (const t of c.onlyA) lines.push(`only in A: ${t}`);
  for (const t of c.onlyB) lines.push(`only in B: ${t}`);
  const reg = c.rows.filter((r) => r.mark === 'regression');
  lines.push(
    '',
    reg.length
      ? `${reg.length} regression(s) beyond ${c.thresholdPct}%: ${reg.map((r) => `${r.task} ${r.metric}`).join(', ')}`
      : `no regression beyond ${c.thresholdPct}%`,
  );
  return lines.join('\n');
}
