/**
 * GET /metrics of the batch engine: Prometheus text exposition (format 0.0.4)
 * with vLLM's metric names, so a client that reads vLLM reads the simulator.
 * Counters carry prometheus_client's `_total` suffix, as vLLM's do.
 */
import type { BatchModel } from './model.js';

/** vLLM's buckets (s) for vllm:time_to_first_token_seconds. */
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];
/** vLLM's buckets (s) for vllm:inter_token_latency_seconds. */
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private n = 0;

  constructor(private readonly bounds: number[]) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(v: number): void {
    this.sum += v;
    this.n++;
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]!) this.counts[i]!++;
  }

  lines(name: string, labels: string): string {
    let s = '';
    for (let i = 0; i < this.bounds.length; i++)
      s += `${name}_bucket{${labels},le="${this.bounds[i]}"} ${this.counts[i]}\n`;
    return (
      s +
      `${name}_bucket{${labels},le="+Inf"} ${this.n}\n${name}_count{${labels}} ${this.n}\n${name}_sum{${labels}} ${this.sum}\n`
    );
  }
}

export class BatchMetrics {
  readonly ttft = new Histogram(TTFT_BUCKETS);
  readonly itl = new Histogram(ITL_BUCKETS);

  constructor(
    private readonly model: BatchModel,
    private readonly modelName: string,
  ) {}

  text(): string {
    const m = this.model;
    const c = m.counters;
    const l = `engine="0",model_name=${JSON.stringify(this.modelName)}`;
    const gauge = (name: string, help: string, v: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{${l}} ${v}\n`;
    const counter = (name: string, help: string, v: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}_total{${l}} ${v}\n`;
    let s =
      gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', m.running.length) +
      gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', m.waiting.length) +
      gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', m.kv.usage) +
      counter('vllm:num_preemptions', 'Cumulative number of preemption from the engine.', c.preemptions) +
      counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', c.promptTokens) +
      counter('vllm:generation_tokens', 'Number of generation tokens processed.', c.generationTokens) +
      counter(
        'vllm:prefix_cache_queries',
        'Prefix cache queries, in terms of number of queried tokens.',
        c.prefixQueries,
      ) +
      counter('vllm:prefix_cache_hits', 'Prefix cache hits, in terms of number of cached tokens.', c.prefixHits);
    if (m.cfg.specTokens > 0) {
      s +=
        counter('vllm:spec_decode_num_drafts', 'Number of spec decoding drafts.', c.specDrafts) +
        counter('vllm:spec_decode_num_draft_tokens', 'Number of draft tokens.', c.specDraftTokens) +
        counter('vllm:spec_decode_num_accepted_tokens', 'Number of accepted tokens.', c.specAccepted) +
        '# HELP vllm:spec_decode_num_accepted_tokens_per_pos Accepted tokens per draft position.\n# TYPE vllm:spec_decode_num_accepted_tokens_per_pos counter\n' +
        c.specAcceptedPerPos
          .map((v, i) => `vllm:spec_decode_num_accepted_tokens_per_pos_total{${l},position="${i}"} ${v}\n`)
          .join('');
    }
    s +=
      '# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.\n# TYPE vllm:time_to_first_token_seconds histogram\n';
    s += this.ttft.lines('vllm:time_to_first_token_seconds', l);
    s +=
      '# HELP vllm:inter_token_latency_seconds Histogram of inter-token latency in seconds.\n# TYPE vllm:inter_token_latency_seconds histogram\n';
    s += this.itl.lines('vllm:inter_token_latency_seconds', l);
    return s;
  }
}
