/** Every model task against the load-aware simulator, a demo-sized run each, with the chat number checks. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startBatchSimulator, type SimServer } from '../src/sim/index.js';
import { expectNumbers, runBackend } from './backend-harness.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startBatchSimulator({ stepBaseMs: 2, stepPerSeqMs: 0.1, prefillTokensPerMs: 50 });
});
afterAll(() => sim.close());

describe.each([
  ['vllm_api_stream_chat', '/v1/chat/completions', true],
  ['vllm_api_general_chat', '/v1/chat/completions', false],
  ['vllm_api_general', '/v1/completions', false],
  ['tgi_stream_api_general', '/generate_stream', true],
  ['triton_stream_api_general', '/v2/models/sim-model/generate_stream', true],
  ['mindie_stream_api_general', '/infer', true],
  ['vllm_api_old', '/generate', true],
] as const)('%s', (model, path, stream) => {
  it("a demo-sized run: every request, the simulator's token totals, latency no less than the server's", async () => {
    const before = sim.requestLog().length;
    const run = await runBackend(sim, model, 24);
    const seen = sim.requestLog().slice(before);
    expectNumbers(run, { ...sim, requestLog: () => seen }, path, 24, stream);
  }, 60_000);
});
