/**
 * One vocabulary for the serving engines' own metrics. Each field lists the
 * names it is read from (summed over label sets, e.g. several engines):
 *
 * | field            | vLLM (v1, v0)                                             | SGLang                     | TGI                          |
 * | running          | vllm:num_requests_running                                 | sglang:num_running_reqs    | tgi_batch_current_size       |
 * | waiting          | vllm:num_requests_waiting                                 | sglang:num_queue_reqs      | tgi_queue_size               |
 * | kvUsage (0..1)   | vllm:kv_cache_usage_perc, vllm:gpu_cache_usage_perc       | sglang:token_usage         | -                            |
 * | prefix counters  | vllm:prefix_cache_queries/_hits, vllm:gpu_prefix_cache_*  | sglang:cache_hit_rate (gauge) | -                         |
 * | preemptions      | vllm:num_preemptions                                      | -                          | -                            |
 * | generationTokens | vllm:generation_tokens                                    | sglang:generation_tokens   | tgi_request_generated_tokens_sum |
 * | genTokPerSec     | (from the counter)                                        | sglang:gen_throughput      | (from the counter)           |
 * | spec decode      | vllm:spec_decode_num_drafts/_num_draft_tokens/_num_accepted_tokens/_per_pos | sglang:spec_accept_length | - |
 *
 * Counters are read with or without prometheus_client's `_total` suffix.
 */
import type { Sample } from './prom-text.js';

export interface ServerReading {
  dialect: 'vllm' | 'sglang' | 'tgi' | 'unknown';
  running?: number;
  waiting?: number;
  kvUsage?: number;
  prefixQueries?: number;
  prefixHits?: number;
  /** A hit-rate gauge (0..1) when the server gives no counters (SGLang). */
  prefixHitRate?: number;
  preemptions?: number;
  generationTokens?: number;
  genTokPerSec?: number;
  specDrafts?: number;
  specDraftTokens?: number;
  specAccepted?: number;
  /** Accepted tokens per draft position (index = position). */
  specPerPos?: number[];
  /** Mean acceptance length gauge (SGLang). */
  specAcceptLength?: number;
}

const FIELDS: Array<[keyof ServerReading, string[]]> = [
  ['running', ['vllm:num_requests_running', 'sglang:num_running_reqs', 'tgi_batch_current_size']],
  ['waiting', ['vllm:num_requests_waiting', 'sglang:num_queue_reqs', 'tgi_queue_size']],
  ['kvUsage', ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc', 'sglang:token_usage']],
  ['prefixQueries', ['vllm:prefix_cache_queries', 'vllm:gpu_prefix_cache_queries']],
  ['prefixHits', ['vllm:prefix_cache_hits', 'vllm:gpu_prefix_cache_hits']],
  ['prefixHitRate', ['sglang:cache_hit_rate']],
  ['preemptions', ['vllm:num_preemptions']],
  ['generationTokens', ['vllm:generation_tokens', 'sglang:generation_tokens', 'tgi_request_generated_tokens_sum']],
  ['genTokPerSec', ['sglang:gen_throughput']],
  ['specDrafts', ['vllm:spec_decode_num_drafts']],
  ['specDraftTokens', ['vllm:spec_decode_num_draft_tokens']],
  ['specAccepted', ['vllm:spec_decode_num_accepted_tokens']],
  ['specAcceptLength', ['sglang:spec_accept_length']],
];

const PER_POS = 'vllm:spec_decode_num_accepted_tokens_per_pos';

/** The sample name without a counter's `_total` suffix. */
const base = (name: string): string => (name.endsWith('_total') ? name.slice(0, -6) : name);

export function readServer(samples: readonly Sample[]): ServerReading {
  const sums = new Map<string, number>();
  const perPos: number[] = [];
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const n = base(s.name);
    if (n === PER_POS) {
      const p = Number(s.labels.position);
      if (Number.isInteger(p) && p >= 0 && p < 64) perPos[p] = (perPos[p] ?? 0) + s.value;
      continue;
    }
    sums.set(n, (sums.get(n) ?? 0) + s.value);
  }
  const r: ServerReading = { dialect: 'unknown' };
  for (const [field, names] of FIELDS) {
    for (const name of names) {
      const v = sums.get(name);
      if (v === undefined) continue;
      (r as unknown as Record<string, number>)[field] = v;
      if (r.dialect === 'unknown')
        r.dialect = name.startsWith('vllm:') ? 'vllm' : name.startsWith('sglang:') ? 'sglang' : 'tgi';
      break;
    }
  }
  if (perPos.length > 0) r.specPerPos = Array.from(perPos, (v) => v ?? 0);
  return r;
}
