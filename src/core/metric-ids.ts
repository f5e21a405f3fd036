/**
 * Typed metric ids. Code looks rows up by id (the exit-code rule, the summary
 * line, the shard merge, the capacity points, the formatters' "is a count"
 * rule); the display name is data, kept here once: it is what the tables, the
 * CSV and the JSON print, so it stays AISBench's row label
 * (summarizers/default_perf.py's Common Metric table) and files do not change.
 * Renaming a display name therefore changes the printed label only.
 */

/** Common Metric rows with a fixed label: id -> display name. */
export const COMMON_METRIC_NAMES = {
  benchmark_duration: 'Benchmark Duration',
  total_requests: 'Total Requests',
  failed_requests: 'Failed Requests',
  success_requests: 'Success Requests',
  concurrency: 'Concurrency',
  max_concurrency: 'Max Concurrency',
  request_throughput: 'Request Throughput',
  total_input_tokens: 'Total Input Tokens',
  prefill_token_throughput: 'Prefill Token Throughput',
  total_generated_tokens: 'Total Generated Tokens',
  input_token_throughput: 'Input Token Throughput',
  output_token_throughput: 'Output Token Throughput',
  total_token_throughput: 'Total Token Throughput',
  send_delay_mean: 'Send Delay Mean',
  send_delay_p99: 'Send Delay P99',
  goodput: 'Goodput',
  good_requests: 'Good Requests',
  retried_requests: 'Retried Requests',
  slo_met: 'SLO Met',
  ended_without_done: 'Ended Without [DONE]',
  requests_without_server_usage: 'Requests Without Server Usage',
  input_tokens_diff_mean: 'Input Tokens Server - Local Mean',
  input_tokens_diff_worst: 'Input Tokens Server - Local Worst',
  input_tokens_diff_mean_pct: 'Input Tokens Server - Local Mean %',
  input_tokens_diff_worst_pct: 'Input Tokens Server - Local Worst %',
  output_tokens_diff_mean: 'Output Tokens Server - Local Mean',
  output_tokens_diff_worst: 'Output Tokens Server - Local Worst',
  output_tokens_diff_mean_pct: 'Output Tokens Server - Local Mean %',
  output_tokens_diff_worst_pct: 'Output Tokens Server - Local Worst %',
  reasoning_requests: 'Reasoning Requests',
  ttft_any_token_mean: 'TTFT Any Token Mean',
  first_answer_token_mean: 'First Answer Token Mean',
  reasoning_tokens: 'Reasoning Tokens',
  answer_tokens: 'Answer Tokens',
  spec_decode_acceptance_rate: 'Spec Decode Acceptance Rate',
  spec_decode_mean_acceptance_length: 'Spec Decode Mean Acceptance Length',
} as const;

/**
 * A Common Metric row's id. Rows whose label is built at run time (one per SLO
 * objective, per speculative-decoding position, per server gauge) carry no id.
 */
export type CommonMetricId = keyof typeof COMMON_METRIC_NAMES;

/** Common Metric rows whose value is a count (printed without decimals). */
export const COUNT_METRICS: ReadonlySet<CommonMetricId> = new Set<CommonMetricId>([
  'total_requests',
  'failed_requests',
  'success_requests',
  'max_concurrency',
  'total_input_tokens',
  'total_generated_tokens',
  'retried_requests',
  'slo_met',
  'ended_without_done',
  'reasoning_requests',
  'reasoning_tokens',
  'answer_tokens',
  'requests_without_server_usage',
]);

/**
 * Performance Parameters metrics (definitions.ts states each formula). The id
 * is also the printed label: AISBench prints these names as they are.
 */
export type PerfMetricId =
  | 'E2EL'
  | 'TTFT'
  | 'TPOT'
  | 'ITL'
  | 'InputTokens'
  | 'OutputTokens'
  | 'OutputTokenThroughput'
  | 'PrefillTokenThroughput';
