/**
 * A non-streamed answer arrives whole: its "first token" is its last byte, so
 * TTFT, TPOT and ITL (and the prefill throughput, input tokens ÷ TTFT) say
 * nothing about the server. AISBench leaves them out of the tables of its
 * non-stream model tasks (vllm_api_general, vllm_api_general_chat); so do we.
 */
import type { PerfTable, TaskResult } from './types.js';
import type { CommonMetricId, PerfMetricId } from '../core/metric-ids.js';
import { commonIdOf } from './common.js';

const STREAM_ONLY_ROWS: ReadonlySet<PerfMetricId> = new Set<PerfMetricId>([
  'TTFT',
  'TPOT',
  'ITL',
  'PrefillTokenThroughput',
]);
const STREAM_ONLY_COMMON: ReadonlySet<CommonMetricId | undefined> = new Set<CommonMetricId>([
  'prefill_token_throughput',
]);

function perfOnly(t: PerfTable): PerfTable {
  return { ...t, rows: t.rows.filter((r) => !STREAM_ONLY_ROWS.has(r.metric)) };
}

/** The result without the rows that need streamed tokens (in place; returns it). */
export function hideStreamOnly(r: TaskResult): TaskResult {
  r.perf = perfOnly(r.perf);
  r.common = r.common.filter((c) => !STREAM_ONLY_COMMON.has(commonIdOf(c)));
  const recompute = r.recompute;
  if (recompute) r.recompute = (stats) => perfOnly(recompute(stats));
  return r;
}
