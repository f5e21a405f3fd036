/**
 * The differences view: each headline metric under every dialect side by
 * side for one task, and, where two dialects differ by more than 2 %, the
 * property of the stream that explains it (a role chunk long before the first
 * text, several tokens per chunk, failures at the end of the run...). The
 * facts come from the same records the dialects read.
 */
import { EV_USAGE, USAGE_FLAG, isTokenKind } from '../engine/sse.js';
import type { RequestRecord } from '../engine/types.js';
import { DIALECTS } from './dialects.js';
import type { TaskResult } from './types.js';
import { commonIdOf, commonValueOf } from './common.js';
import { COMMON_METRIC_NAMES, type CommonMetricId } from '../core/metric-ids.js';
import { TaskAccumulator } from './accumulator.js';

/** What about a task's streams makes the dialects disagree. */
export interface StreamFacts {
  ok: number;
  /** Output tokens per token-bearing event over successes (1 = one token a chunk). */
  tokensPerChunk: number;
  /** Successes whose first event carried no token, and the mean lead of that event over the first token (ms). */
  leadN: number;
  leadMs: number;
  /** Successes with events after their last token (usage, finish), and the mean lag (ms). */
  trailN: number;
  trailMs: number;
  /** Successes with one output token or none. */
  oneToken: number;
  /** Successes whose usage came only on a chunk that still had choices. */
  usageOnChoices: number;
  /** Successes vLLM would count with its tokenizer (usage unread, 0 or absent) and no local count exists for (no --tokenizer). */
  vllmUntokenized: number;
  /** Failed requests that ended after the last success's last token / started before the first success. */
  failAtEnd: number;
  failAtStart: number;
}

/** Collects StreamFacts one record at a time. */
export class FactsCollector {
  private ok = 0;
  private out = 0;
  private tokEvents = 0;
  private lead = { n: 0, sum: 0 };
  private trail = { n: 0, sum: 0 };
  private one = 0;
  private uoc = 0;
  private untok = 0;
  private okFirst = Infinity;
  private okLast = -Infinity;
  private fails: Array<[number, number]> = [];

  add(r: RequestRecord): void {
    if (r.warmup) return;
    if (!r.ok) {
      this.fails.push([r.t0, r.end]);
      return;
    }
    this.ok++;
    this.okFirst = Math.min(this.okFirst, r.t0);
    this.okLast = Math.max(this.okLast, r.t0 + r.e2el);
    if (r.outTok <= 1) this.one++;
    this.out += r.outTok;
    const k = r.kinds;
    if (r.localOut === undefined && (!r.usage || r.outTok === 0)) this.untok++;
    if (k === null) {
      this.tokEvents += r.gapsUs.length + 1;
      return;
    }
    let tok = 0;
    let usageOnly = false;
    let flagged = false;
    let total = 0;
    for (let i = 0; i < k.length; i++) {
      if (isTokenKind(k[i]!)) tok++;
      if ((k[i]! & 7) === EV_USAGE) usageOnly = true;
      if (k[i]! & USAGE_FLAG) flagged = true;
      if (i > 0) total += r.gapsUs[i - 1]!;
    }
    this.tokEvents += tok;
    if (r.usage && flagged && !usageOnly) {
      this.uoc++;
      if (r.localOut === undefined && r.outTok > 0) this.untok++;
    }
    if (!isTokenKind(k[0]!) && Number.isFinite(r.ttft)) {
      this.lead.n++;
      this.lead.sum += r.ttft - r.first;
    }
    const lastAt = r.first + total / 1000;
    if (!isTokenKind(k[k.length - 1]!) && Number.isFinite(r.e2el)) {
      this.trail.n++;
      this.trail.sum += lastAt - r.e2el;
    }
  }

  facts(): StreamFacts {
    return {
      ok: this.ok,
      tokensPerChunk: this.tokEvents > 0 ? this.out / this.tokEvents : NaN,
      leadN: this.lead.n,
      leadMs: this.lead.n ? this.lead.sum / this.lead.n : 0,
      trailN: this.trail.n,
      trailMs: this.trail.n ? this.trail.sum / this.trail.n : 0,
      oneToken: this.one,
      usageOnChoices: this.uoc,
      vllmUntokenized: this.untok,
      failAtEnd: this.fails.filter(([, end]) => end > this.okLast).length,
      failAtStart: this.fails.filter(([t0]) => t0 < this.okFirst).length,
    };
  }
}

export interface DiffRow {
  metric: string;
  unit: string;
  /** One value per dialect, in DIALECTS order. */
  values: number[];
  /** (max − min) / min of the finite values, %. */
  spreadPct: number;
  /** Why they differ, when spreadPct > 2. */
  cause: string | null;
}

const PERF = ['TTFT', 'E2EL', 'TPOT', 'ITL', 'OutputTokens', 'OutputTokenThroughput'] as const;
const COMMON = [
  'benchmark_duration',
  'success_requests',
  'concurrency',
  'request_throughput',
  'output_token_throughput',
] as const satisfies readonly CommonMetricId[];

/** `metric`: a Performance Parameters metric or a Common Metric id. */
function causeFor(metric: string, f: StreamFacts): string {
  const c: string[] = [];
  const lead =
    f.leadN > 0
      ? `role chunk ${f.leadMs.toFixed(f.leadMs < 10 ? 1 : 0)} ms before first text (${f.leadN} requests)`
      : null;
  const trail =
    f.trailN > 0 ? `events ${f.trailMs.toFixed(1)} ms after the last token (usage/finish, ${f.trailN} requests)` : null;
  const tpc =
    Number.isFinite(f.tokensPerChunk) && Math.abs(f.tokensPerChunk - 1) > 0.05
      ? `${f.tokensPerChunk.toFixed(1)} tokens per chunk`
      : null;
  const untok =
    f.vllmUntokenized > 0
      ? `vLLM would count ${f.vllmUntokenized} answer${f.vllmUntokenized > 1 ? 's' : ''} with its tokenizer (no usage it reads): give --tokenizer`
      : null;
  const uoc =
    f.usageOnChoices > 0
      ? [`usage on the last chunk with choices (${f.usageOnChoices} requests): vLLM ignores it`, untok]
          .filter(Boolean)
          .join('; ')
      : untok;
  const ends = [
    f.failAtEnd > 0
      ? `${f.failAtEnd} failure${f.failAtEnd > 1 ? 's at the end of the run widen' : ' at the end of the run widens'} the duration`
      : null,
    f.failAtStart > 0
      ? `${f.failAtStart} failure${f.failAtStart > 1 ? 's at the start of the run widen' : ' at the start of the run widens'} the duration`
      : null,
  ];
  const one =
    f.oneToken > 0
      ? `${f.oneToken} one-token answer${f.oneToken > 1 ? 's' : ''}: TPOT 0 counted (aisbench, evalscope) or left out`
      : null;
  switch (metric) {
    case 'TTFT':
      c.push(lead ?? '');
      break;
    case 'E2EL':
      c.push(lead ?? '', trail ?? '');
      break;
    case 'ITL':
      c.push(
        tpc ?? '',
        lead ? 'role/finish/usage chunks add near-zero gaps' : trail ? 'finish/usage chunks add near-zero gaps' : '',
      );
      break;
    case 'TPOT':
      c.push(one ?? '', uoc ?? '', lead ?? '', trail ?? '');
      break;
    case 'OutputTokens':
      c.push(uoc ?? '');
      break;
    case 'OutputTokenThroughput':
      c.push(uoc ?? '', lead ?? '', trail ?? '');
      break;
    case 'concurrency':
      c.push('evalscope shows the configured concurrency', ...ends.map((e) => e ?? ''));
      break;
    default:
      c.push(...ends.map((e) => e ?? ''), metric === 'output_token_throughput' ? (uoc ?? '') : '', trail ?? '');
  }
  const got = c.filter(Boolean);
  return got.length ? got.join('; ') : 'percentile method or rounding (evalscope, aisbench-exact)';
}

/** Rows of the differences view from one result per dialect (DIALECTS order) and the facts. */
export function differences(byDialect: readonly TaskResult[], f: StreamFacts): DiffRow[] {
  const rows: DiffRow[] = [];
  const add = (metric: string, unit: string, values: number[], label = metric): void => {
    const fin = values.filter(Number.isFinite);
    const lo = Math.min(...fin);
    const hi = Math.max(...fin);
    const spreadPct = fin.length > 1 ? (lo === hi ? 0 : lo !== 0 ? ((hi - lo) / Math.abs(lo)) * 100 : Infinity) : 0;
    rows.push({ metric: label, unit, values, spreadPct, cause: spreadPct > 2 ? causeFor(metric, f) : null });
  };
  for (const m of PERF) {
    const unit = byDialect[0]?.perf.rows.find((r) => r.metric === m)?.unit ?? '';
    add(
      m,
      unit,
      byDialect.map((r) => {
        const i = r.perf.stats.indexOf('Average');
        const row = r.perf.rows.find((x) => x.metric === m && x.stage === 'total');
        return row && i >= 0 ? row.values[i]! : NaN;
      }),
    );
  }
  for (const m of COMMON) {
    const unit = byDialect[0]?.common.find((c) => commonIdOf(c) === m)?.unit ?? '';
    add(
      m,
      unit,
      byDialect.map((r) => commonValueOf(r.common, m) ?? NaN),
      COMMON_METRIC_NAMES[m],
    );
  }
  return rows;
}

export { DIALECTS };

/** Feeds records to one accumulator per dialect and a facts collector; `finish` gives the rows. */
export class DialectComparison {
  private readonly accs: TaskAccumulator[];
  private readonly facts = new FactsCollector();

  constructor(readonly opts: { maxConcurrency: number; stable?: boolean }) {
    this.accs = DIALECTS.map(
      (d) => new TaskAccumulator({ maxConcurrency: opts.maxConcurrency, stable: opts.stable, dialect: d }),
    );
  }

  add(r: RequestRecord): void {
    for (const a of this.accs) a.add(r);
    this.facts.add(r);
  }

  finish(): { rows: DiffRow[]; facts: StreamFacts; results: TaskResult[] } {
    const ctx = { key: '', abbr: '', dataset: '', model: '', stats: ['Average'], interrupted: false };
    const results = this.accs.map((a) => a.finalize(ctx));
    const facts = this.facts.facts();
    return { rows: differences(results, facts), facts, results };
  }
}
