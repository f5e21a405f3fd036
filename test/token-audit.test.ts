/** Token audit: server prompt_tokens / completion_tokens vs the local counts, and requests without server usage. */
import { describe, expect, it } from 'vitest';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import { decodeLine, encodeRecord } from '../src/engine/details-codec.js';
import { rec } from './metrics-helpers.js';

function run(audit: boolean) {
  const acc = new TaskAccumulator({ maxConcurrency: 2, audit });
  // A: the server counts 74 prompt tokens, the tokenizer 50 for the raw prompt: +24 (+48 %), the chat template.
  //    Output: the server says 11 completion tokens, the tokenizer counts 10 in the answer text: +1 (+10 %).
  acc.add({ ...rec({ t0: 0, inTok: 74, outTok: 11 }), localIn: 50, localOut: 10 });
  // B: both 30. Output: the server says 6, the tokenizer 8: -2 (-25 %).
  acc.add({ ...rec({ t0: 1, inTok: 30, outTok: 6 }), localIn: 30, localOut: 8 });
  // C: no usage from the server.
  acc.add({ ...rec({ t0: 2, inTok: 20 }), usage: false });
  // D: failed, left out.
  acc.add({ ...rec({ t0: 3, ok: false }), localIn: 10 });
  return acc.finalize({ key: 'k', abbr: 'a', dataset: 'd', model: 'm', stats: ['Average'], interrupted: false });
}
const common = (r: ReturnType<typeof run>, n: string) => r.common.find((c) => c.name === n)?.value;

describe('token audit', () => {
  it('with a tokenizer: mean and worst server − local, in tokens and %', () => {
    const r = run(true);
    expect(common(r, 'Input Tokens Server - Local Mean')).toBe(12); // (24 + 0) / 2
    expect(common(r, 'Input Tokens Server - Local Worst')).toBe(24);
    expect(common(r, 'Input Tokens Server - Local Mean %')).toBe(24); // (48 + 0) / 2
    expect(common(r, 'Input Tokens Server - Local Worst %')).toBe(48);
    expect(common(r, 'Requests Without Server Usage')).toBe(1);
    // Output: (+1 - 2) / 2 = -0.5 tokens; (+10 - 25) / 2 = -7.5 %; worst by magnitude: -2 tokens, -25 %.
    expect(common(r, 'Output Tokens Server - Local Mean')).toBe(-0.5);
    expect(common(r, 'Output Tokens Server - Local Worst')).toBe(-2);
    expect(common(r, 'Output Tokens Server - Local Mean %')).toBe(-7.5);
    expect(common(r, 'Output Tokens Server - Local Worst %')).toBe(-25);
  });
  it('without one: only how many requests had no server usage', () => {
    const r = run(false);
    expect(common(r, 'Input Tokens Server - Local Mean')).toBeUndefined();
    expect(common(r, 'Output Tokens Server - Local Mean')).toBeUndefined();
    expect(common(r, 'Requests Without Server Usage')).toBe(1);
  });
  it('the local count round-trips through the details file', () => {
    const r = { ...rec({ t0: 0, inTok: 74 }), localIn: 50, localOut: 9 };
    expect(decodeLine(encodeRecord(r)).localIn).toBe(50);
    expect(decodeLine(encodeRecord(r)).localOut).toBe(9);
  });
});
