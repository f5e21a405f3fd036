/**
 * Service-level objectives: one type and one parser (`--slo`) for the run,
 * goodput and the capacity modes. Two kinds mix in one list:
 * - per-request bounds `ttft:500,tpot:50,e2el:3000` (ms): goodput counts the
 *   requests within every bound (vLLM bench serve's --goodput);
 * - distribution objectives `ttft:p99<=500`, `e2el:avg<=3000`: a statistic of
 *   a metric against a limit (vLLM's `bench sweep serve_sla`, AIPerf's SLO
 *   filters); metrics/slo-rows.ts states how they are evaluated.
 */
import { UsageError } from './errors.js';
import { toNumber } from './number.js';

export type SloMetric = 'ttft' | 'tpot' | 'e2el';
export const SLO_METRICS: readonly SloMetric[] = ['ttft', 'tpot', 'e2el'];

export interface SloObjective {
  metric: SloMetric;
  /** 'avg' or a percentile in (0, 100). */
  stat: 'avg' | number;
  /** ms. */
  limitMs: number;
}

/** `ttft:p99<=500` as written on the command line. */
export function objectiveLabel(o: SloObjective): string {
  return `${o.metric}:${o.stat === 'avg' ? 'avg' : `p${o.stat}`}<=${o.limitMs}`;
}

/**
 * One `metric:stat<=ms` part → objective, or a one-line problem.
 * (parseSlo below reads the whole list.)
 */
export function parseObjective(part: string): SloObjective | string {
  const m = /^([a-z0-9_]+):([a-z0-9.]+)\s*<=\s*(.+)$/i.exec(part.trim());
  if (!m) return `'${part}' is not METRIC:STAT<=MS (e.g. ttft:p99<=500)`;
  const [, metricRaw = '', statRaw = '', limitRaw = ''] = m;
  const metric = metricRaw.toLowerCase();
  if (!(SLO_METRICS as readonly string[]).includes(metric)) {
    return `unknown SLO metric '${metricRaw}' (use ${SLO_METRICS.join(', ')})`;
  }
  const s = statRaw.toLowerCase();
  let stat: 'avg' | number;
  if (s === 'avg' || s === 'mean') stat = 'avg';
  else if (s === 'median') stat = 50;
  else {
    const p = /^p(\d+(?:\.\d+)?)$/.exec(s);
    const v = p ? Number(p[1]) : NaN;
    if (!(v > 0 && v < 100))
      return `unknown SLO statistic '${statRaw}' in '${part}' (use avg, median or pNN with 0 < NN < 100)`;
    stat = v;
  }
  const limit = /^\d+(\.\d+)?$/.test(limitRaw.trim()) ? Number(limitRaw) : NaN;
  if (!(limit > 0)) return `'${part}': the limit must be a positive number of ms`;
  return { metric: metric as SloMetric, stat, limitMs: limit };
}

/** Service-level objectives, ms: per-request bounds (any subset) and distribution objectives. */
export interface Slo {
  ttftMs?: number;
  tpotMs?: number;
  e2elMs?: number;
  /** `metric:stat<=ms` objectives. */
  objectives?: SloObjective[];
}

/** `ttft:500,tpot:50,e2el:3000` and/or `ttft:p99<=500,...` → Slo; a one-line UsageError otherwise. */
export function parseSlo(s: string): Slo {
  const what = "a list like 'ttft:500,tpot:50,e2el:3000' (ms > 0)";
  const bad = (): UsageError => new UsageError(`--slo must be ${what} (got ${JSON.stringify(s)})`);
  const keys = { ttft: 'ttftMs', tpot: 'tpotMs', e2el: 'e2elMs' } as const;
  const out: Slo = {};
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw bad();
  for (const part of parts) {
    if (part.includes('<')) {
      const o = parseObjective(part);
      if (typeof o === 'string') throw new UsageError(`--slo: ${o}`);
      (out.objectives ??= []).push(o);
      continue;
    }
    const m = /^(\w+):(.+)$/.exec(part);
    const key = m ? keys[(m[1] ?? '').toLowerCase() as keyof typeof keys] : undefined;
    const v = m ? toNumber(m[2] ?? '') : undefined;
    if (!key || v === undefined || v <= 0) throw bad();
    out[key] = v;
  }
  return out;
}
