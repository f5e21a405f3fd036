/** The batch engine over HTTP: /metrics in vLLM's names, prefix counters, spec-decode events, refusals. */
import { afterAll, describe, expect, it } from 'vitest';
import { simCommandOptions, startBatchSimulator, startSimulator, type SimServer } from '../src/sim/index.js';
import { chatBody, send, sseData } from './sim-client.js';

const sims: SimServer[] = [];
afterAll(() => Promise.all(sims.map((s) => s.close())));
async function sim(opts: Parameters<typeof startBatchSimulator>[0]) {
  const s = await startBatchSimulator(opts);
  sims.push(s);
  return s;
}

/** Sample values of a Prometheus text body by metric name (labels dropped, first sample). */
function samples(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const r = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (r && !m.has(r[1]!)) m.set(r[1]!, Number(r[3]));
  }
  return m;
}
const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');

describe('batch simulator over HTTP', () => {
  it('serves vLLM metrics; prefix hits count cached whole blocks of the shared prefix', async () => {
    const s = await sim({ blockSize: 16, stepBaseMs: 1 });
    // Three prompts of 40 words sharing their first 32, one after the other.
    for (let i = 0; i < 3; i++) {
      const r = await send(s.url, '/v1/chat/completions', {
        ...chatBody({ max_tokens: 5, ignore_eos: true }),
        messages: [{ role: 'user', content: `${words(32)} ${words(8, 100 + 10 * i)}` }],
      });
      expect(sseData(r.text).at(-1)).toBe('[DONE]');
    }
    const r = await send(s.url, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = samples(r.text);
    // Queries 3 x 40 = 120 tokens; hits: request 1 none, requests 2 and 3 the 2 cached
    // blocks (min(floor(39/16), floor(40/16)) = 2) = 32 tokens each → 64.
    expect(m.get('vllm:prefix_cache_queries_total')).toBe(120);
    expect(m.get('vllm:prefix_cache_hits_total')).toBe(64);
    expect(m.get('vllm:prompt_tokens_total')).toBe(120);
    expect(m.get('vllm:generation_tokens_total')).toBe(15);
    expect(m.get('vllm:num_requests_running')).toBe(0);
    expect(m.get('vllm:num_requests_waiting')).toBe(0);
    expect(m.get('vllm:num_preemptions_total')).toBe(0);
    // Nothing held after the answers; the 2 shared blocks stay cached but count as free.
    expect(m.get('vllm:kv_cache_usage_perc')).toBe(0);
    expect(r.text).toContain('vllm:time_to_first_token_seconds_count{engine="0",model_name="sim-model"} 3');
    // 4 gaps per 5-token answer.
    expect(r.text).toContain('vllm:inter_token_latency_seconds_count{engine="0",model_name="sim-model"} 12');
  });

  it('emits 1 + accepted draft tokens per event with speculative decoding', async () => {
    const s = await sim({ specTokens: 3, specAccept: 1, stepBaseMs: 1 });
    const r = await send(s.url, '/v1/completions', { prompt: 'a b c', max_tokens: 10, ignore_eos: true, stream: true });
    const texts = sseData(r.text)
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0].text as string);
    // Prefill step: 1 token; then every draft accepted: 4, 4, then the last 1 (10 = 1 + 4 + 4 + 1).
    expect(texts.map((t) => t.trim().split(/\s+/).length)).toEqual([1, 4, 4, 1]);
    const m = samples((await send(s.url, '/metrics')).text);
    expect(m.get('vllm:spec_decode_num_drafts_total')).toBe(3);
    expect(m.get('vllm:spec_decode_num_draft_tokens_total')).toBe(9);
    expect(m.get('vllm:spec_decode_num_accepted_tokens_total')).toBe(9);
  });

  it('answers non-streamed requests whole, and refuses what cannot fit in the KV cache', async () => {
    const s = await sim({ kvBlocks: 4, blockSize: 4, stepBaseMs: 1 });
    const ok = await send(
      s.url,
      '/v1/chat/completions',
      chatBody({ stream: false, max_tokens: 6, ignore_eos: true }, 3),
    );
    expect(JSON.parse(ok.text)).toMatchObject({
      object: 'chat.completion',
      usage: { prompt_tokens: 3, completion_tokens: 6 },
    });
    // 3 + 20 + 1 tokens need 6 blocks of 4 > 4.
    const big = await send(s.url, '/v1/chat/completions', chatBody({ max_tokens: 20, ignore_eos: true }, 3));
    expect(big.status).toBe(400);
    expect(JSON.parse(big.text).error.message).toMatch(/does not fit in the KV cache/);
  });

  it('/metrics fails on demand, and does not exist on the fixed engine', async () => {
    const s = await sim({ metricsDownAfterMs: 1 });
    expect((await send(s.url, '/metrics')).status).toBe(200); // the first scrape starts the clock
    await new Promise((r) => setTimeout(r, 5));
    expect((await send(s.url, '/metrics')).status).toBe(503);
    const fixed = await startSimulator({});
    sims.push(fixed);
    expect((await send(fixed.url, '/metrics')).status).toBe(404);
  });

  it('sim --engine batch parses its knobs (the README command)', () => {
    const readme = simCommandOptions(
      '--engine batch --max-num-seqs 16 --step-base-ms 10 --step-per-seq-ms 0.5 --prefill-rate 20 --kv-blocks 8192 --block-size 16 --spec-tokens 3 --spec-accept 0.6'.split(
        ' ',
      ),
    );
    expect(readme).toMatchObject({
      engine: 'batch',
      prefillTokensPerMs: 20,
      kvBlocks: 8192,
      blockSize: 16,
      specTokens: 3,
      specAccept: 0.6,
    });
    const o = simCommandOptions([
      '--engine',
      'batch',
      '--max-num-seqs',
      '16',
      '--step-base-ms',
      '10',
      '--step-per-seq-ms',
      '0.5',
      '--spec-tokens',
      '3',
      '--spec-accept',
      '0.6',
      '--metrics-down-after',
      '2',
    ]);
    expect(o).toMatchObject({
      engine: 'batch',
      maxNumSeqs: 16,
      stepBaseMs: 10,
      stepPerSeqMs: 0.5,
      specTokens: 3,
      specAccept: 0.6,
      metricsDownAfterMs: 2000,
    });
    expect(() => simCommandOptions(['--engine', 'turbo'])).toThrow(/--engine must be fixed or batch/);
  });
});
