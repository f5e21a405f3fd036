/** Hand-made TaskResult fixtures for the results view tests. */
import type { CommonRow, PerfMetricName, PerfTable, TaskResult } from '../src/metrics/types.js';

const UNITS: Record<PerfMetricName, string> = {
  E2EL: 'ms',
  TTFT: 'ms',
  TPOT: 'ms',
  ITL: 'ms',
  InputTokens: '',
  OutputTokens: '',
  OutputTokenThroughput: 'token/s',
  PrefillTokenThroughput: 'token/s',
};

/** A deterministic value of `stat` for a metric whose average is `base`. */
export function statOf(base: number, stat: string): number {
  if (stat === 'Average' || stat === 'Median') return base;
  if (stat === 'Min') return base * 0.9;
  if (stat === 'Max') return base * 1.1;
  const p = /^P(\d+(?:\.\d+)?)$/.exec(stat);
  if (p) return base * (1 + Number(p[1]) / 1000);
  throw new Error(`unknown stat ${stat}`);
}

function table(bases: Partial<Record<PerfMetricName, number>>, stats: string[], n: number): PerfTable {
  return {
    stats,
    rows: Object.entries(bases).map(([metric, base]) => ({
      metric: metric as PerfMetricName,
      stage: 'total' as const,
      unit: UNITS[metric as PerfMetricName],
      values: stats.map((s) => statOf(base!, s)),
      n,
    })),
  };
}

export interface FixtureOptions {
  abbr?: string;
  dataset?: string;
  /** Average of each metric. */
  bases?: Partial<Record<PerfMetricName, number>>;
  failed?: number;
  outputTokPerSec?: number;
  requestThroughput?: number;
  withRecompute?: boolean;
  stats?: string[];
}

export const DEFAULT_STATS = ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'];

/** Average column: numeric order TTFT < TPOT < OutputTokenThroughput < ITL < OutputTokens < InputTokens < E2EL; string order differs. */
export const MIXED_BASES: Partial<Record<PerfMetricName, number>> = {
  E2EL: 12300.2,
  TTFT: 9.5,
  TPOT: 10.2,
  ITL: 95.1,
  InputTokens: 1512.5,
  OutputTokens: 512,
  OutputTokenThroughput: 41.6254,
};

export function makeResult(o: FixtureOptions = {}): TaskResult {
  const abbr = o.abbr ?? 'vllm-api-stream-chat';
  const dataset = o.dataset ?? 'demo_gsm8k';
  const bases = o.bases ?? MIXED_BASES;
  const n = 8;
  const failed = o.failed ?? 0;
  const common: CommonRow[] = [
    { name: 'Benchmark Duration', stage: 'total', value: 98409.4916, unit: 'ms' },
    { name: 'Total Requests', stage: 'total', value: n + failed, unit: '' },
    { name: 'Failed Requests', stage: 'total', value: failed, unit: '' },
    { name: 'Success Requests', stage: 'total', value: n, unit: '' },
    { name: 'Concurrency', stage: 'total', value: 0.9999, unit: '' },
    { name: 'Max Concurrency', stage: 'total', value: 1, unit: '' },
    { name: 'Request Throughput', stage: 'total', value: o.requestThroughput ?? 0.0813, unit: 'req/s' },
    { name: 'Total Input Tokens', stage: 'total', value: 12100, unit: '' },
    { name: 'Prefill Token Throughput', stage: 'total', value: 753.9843, unit: 'token/s' },
    { name: 'Total Generated Tokens', stage: 'total', value: 4096, unit: '' },
    { name: 'Input Token Throughput', stage: 'total', value: 122.9556, unit: 'token/s' },
    { name: 'Output Token Throughput', stage: 'total', value: o.outputTokPerSec ?? 41.6211, unit: 'token/s' },
    { name: 'Total Token Throughput', stage: 'total', value: 164.5767, unit: 'token/s' },
  ];
  const stats = o.stats ?? DEFAULT_STATS;
  const result: TaskResult = {
    key: `${abbr}/${dataset}`,
    abbr,
    dataset,
    model: 'qwen',
    perf: table(bases, stats, n),
    common,
    failures:
      failed > 0 ? [{ code: 'E_HTTP_500', count: failed, example: 'HTTP 500 from server: internal error' }] : [],
    series: {
      concurrency: [
        [0, 1],
        [10, 4],
        [30, 8],
        [70, 2],
        [98.4, 0],
      ],
      outputTokPerSec: Array.from({ length: 98 }, (_, i) => 40 + 10 * Math.sin(i / 8)),
      ttftByStart: Array.from({ length: 8 }, (_, i) => [i * 12, 2005 + i] as [number, number]),
    },
    interrupted: false,
    files: { csv: `performances/${abbr}/${dataset}.csv` },
  };
  if (o.withRecompute !== false) result.recompute = (s: string[]) => table(bases, s, n);
  return result;
}

/** Three tasks whose TTFT P99 strings sort differently from their numbers (9.5 vs 10.2 vs 100.3 ms). */
export function threeTasks(): TaskResult[] {
  return [
    makeResult({ abbr: 'model-a', dataset: 'gsm8k', bases: { ...MIXED_BASES, TTFT: 10.2 }, outputTokPerSec: 900.5 }),
    makeResult({
      abbr: 'model-b',
      dataset: 'gsm8k',
      bases: { ...MIXED_BASES, TTFT: 9.5 },
      outputTokPerSec: 80.25,
      failed: 2,
    }),
    makeResult({ abbr: 'model-c', dataset: 'gsm8k', bases: { ...MIXED_BASES, TTFT: 100.3 }, outputTokPerSec: 1000 }),
  ];
}
