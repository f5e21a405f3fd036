/** The batch model by hand: every expected value is worked out in the comments. */
import { describe, expect, it } from 'vitest';
import { BatchModel, type BatchConfig } from '../src/sim/batch/model.js';
import { blockHashes } from '../src/sim/batch/prefix.js';
import { createRng } from '../src/sim/rng.js';

const base: BatchConfig = {
  maxNumSeqs: 2,
  maxBatchedTokens: 100,
  stepBaseMs: 10,
  stepPerSeqMs: 1,
  prefillRate: 10,
  kvBlocks: 100,
  blockSize: 4,
  specTokens: 0,
  specAccept: 0,
};
const seq = (id: number, prompt: number, out: number, hashes: number[] = []) => ({
  id,
  promptTokens: prompt,
  outputTokens: out,
  blockHashes: hashes,
});
const never = () => 1;

describe('batch model steps', () => {
  it('batches up to max-num-seqs, prices each step, queues the rest', () => {
    const m = new BatchModel(base);
    for (const id of [1, 2, 3]) expect(m.add(seq(id, 8, 3))).toBeNull();
    // Step 1: admit 1 and 2 (cap 2), both prefill 8 tokens: 10 + 1×2 + 16/10 = 13.6 ms.
    let s = m.schedule()!;
    expect(s.durationMs).toBeCloseTo(13.6, 9);
    expect(s.running).toBe(2);
    expect(m.waiting.map((q) => q.id)).toEqual([3]);
    expect(m.complete(s, never).emitted).toEqual([
      [1, 1],
      [2, 1],
    ]);
    // 2 blocks each for 8 prompt tokens.
    expect(m.kv.used).toBe(4);
    // Step 2: both decode (context 9 + 1 → 3 blocks each): 10 + 1×2 = 12 ms.
    s = m.schedule()!;
    expect(s.durationMs).toBe(12);
    expect(m.kv.used).toBe(6);
    m.complete(s, never);
    // Step 3: third token, both finish and free their blocks.
    s = m.schedule()!;
    expect(m.complete(s, never)).toEqual({
      emitted: [
        [1, 1],
        [2, 1],
      ],
      finished: [2, 1],
    });
    expect(m.kv.used).toBe(0);
    // Step 4: 3 is admitted alone: 10 + 1 + 8/10 = 11.8 ms.
    expect(m.schedule()!.durationMs).toBeCloseTo(11.8, 9);
    expect(m.counters).toMatchObject({
      promptTokens: 16,
      generationTokens: 6,
      prefixQueries: 24,
      prefixHits: 0,
      preemptions: 0,
    });
  });

  it('spends the token budget on chunked prefill, oldest first', () => {
    const m = new BatchModel({ ...base, maxBatchedTokens: 10 });
    m.add(seq(1, 8, 2));
    m.add(seq(2, 8, 2));
    // Step 1: 1 takes 8, 2 takes the remaining 2: 10 + 2 + 10/10 = 13 ms; only 1 finishes prefill.
    let s = m.schedule()!;
    expect(s.chunks.map(([q, c]) => [q.id, c])).toEqual([
      [1, 8],
      [2, 2],
    ]);
    expect(s.durationMs).toBe(13);
    expect(m.complete(s, never).emitted).toEqual([[1, 1]]);
    // Step 2: 1 decodes (1 token of budget), 2 takes its last 6: 10 + 2 + 0.6.
    s = m.schedule()!;
    expect(s.chunks.map(([q, c]) => [q.id, c])).toEqual([[2, 6]]);
    expect(s.durationMs).toBeCloseTo(12.6, 9);
    expect(m.complete(s, never)).toEqual({
      emitted: [
        [1, 1],
        [2, 1],
      ],
      finished: [1],
    });
  });

  it('reuses cached prefix blocks and counts hits and queries', () => {
    const m = new BatchModel({ ...base, maxNumSeqs: 1 });
    // Prompts of 10 tokens sharing their first two 4-token blocks.
    m.add(seq(1, 10, 1, [11, 12]));
    m.add(seq(2, 10, 1, [11, 12]));
    m.complete(m.schedule()!, never); // 1 prefills 10 and finishes; its 2 full blocks stay cached (idle)
    expect(m.kv.used).toBe(0);
    // 2: at most floor((10-1)/4) = 2 cached blocks → 8 hit tokens, prefill only 2: 10 + 1 + 2/10.
    const s = m.schedule()!;
    expect(s.prefillTokens).toBe(2);
    expect(s.durationMs).toBeCloseTo(11.2, 9);
    expect(m.counters.prefixQueries).toBe(20);
    expect(m.counters.prefixHits).toBe(8);
  });

  it('preempts the newest running sequence when the KV cache is full, and recomputes it later', () => {
    const m = new BatchModel({ ...base, maxNumSeqs: 4, kvBlocks: 5 });
    m.add(seq(1, 8, 4));
    m.add(seq(2, 8, 4));
    m.complete(m.schedule()!, never); // both prefilled: 4 of 5 blocks used
    // Step 2: 1 needs a 3rd block (context 9 + 1 = 10 tokens) → the last one; 2 needs one too,
    // none is left: 2 (the newest) is preempted. Re-admitting it needs ceil(9/4) = 3 > 2 free.
    const s = m.schedule()!;
    expect(m.counters.preemptions).toBe(1);
    expect(s.running).toBe(1);
    expect(m.waiting.map((q) => q.id)).toEqual([2]);
    const tokens = new Map<number, number>();
    let out = m.complete(s, never);
    for (let i = 0; i < 50 && !m.idle; i++) {
      for (const [id, n] of out.emitted) tokens.set(id, (tokens.get(id) ?? 0) + n);
      out = m.complete(m.schedule()!, never);
    }
    for (const [id, n] of out.emitted) tokens.set(id, (tokens.get(id) ?? 0) + n);
    // Every token once: 1 emitted 4 (1 in step 1, 3 here); 2 emitted 1 in step 1 and 3 after recompute.
    expect(tokens.get(1)).toBe(3);
    expect(tokens.get(2)).toBe(3);
    expect(m.counters.generationTokens).toBe(8);
    expect(m.kv.used).toBe(0);
  });

  it('speculative decoding emits 1 + accepted drafts and counts them per position', () => {
    const m = new BatchModel({ ...base, specTokens: 3, specAccept: 0.6 });
    m.add(seq(1, 4, 20));
    m.complete(m.schedule()!, never); // prefill: 1 token, no drafts
    const draws = [0.5, 0.7]; // first draft accepted (0.5 < 0.6), second rejected: a = 1
    const out = m.complete(m.schedule()!, () => draws.shift()!);
    expect(out.emitted).toEqual([[1, 2]]);
    expect(m.counters).toMatchObject({
      specDrafts: 1,
      specDraftTokens: 3,
      specAccepted: 1,
      specAcceptedPerPos: [1, 0, 0],
    });
  });

  it('spec acceptance over many steps matches p + p² + p³ (k = 3, p = 0.6)', () => {
    const m = new BatchModel({ ...base, maxNumSeqs: 8, specTokens: 3, specAccept: 0.6, kvBlocks: 10_000 });
    for (let id = 1; id <= 8; id++) m.add(seq(id, 4, 4000));
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) m.complete(m.schedule()!, rng.next);
    const c = m.counters;
    // E[a] = 0.6 + 0.36 + 0.216 = 1.176 → rate 1.176 / 3 = 0.392; per position 0.6, 0.36, 0.216.
    expect(c.specAccepted / c.specDraftTokens).toBeCloseTo(0.392, 1);
    expect(Math.abs(c.specAccepted / c.specDraftTokens / 0.392 - 1)).toBeLessThan(0.05);
    const perPos = c.specAcceptedPerPos.map((n) => n / c.specDrafts);
    expect(perPos[0]).toBeCloseTo(0.6, 1);
    expect(perPos[2]).toBeCloseTo(0.216, 1);
  });

  it('refuses a request that can never fit in the KV cache', () => {
    const m = new BatchModel({ ...base, kvBlocks: 2 });
    expect(m.add(seq(1, 8, 1))).toMatch(/does not fit in the KV cache/); // 8 + 1 + 1 = 10 tokens = 3 blocks
  });
});

describe('prefix block keys', () => {
  it('equal exactly while the leading tokens are equal', () => {
    const a = blockHashes('a b c d e f g h i', undefined, 4);
    const b = blockHashes('a  b c d\ne f g x y', undefined, 4);
    expect(a).toHaveLength(2); // 9 tokens: 2 full blocks
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
    expect(blockHashes(undefined, [{ role: 'user', content: 'a b c d' }], 4)).toEqual([a[0]]);
    expect(blockHashes([1, 2, 3, 4], undefined, 2)).toHaveLength(2);
  });
});
