/**
 * A small continuous-batching engine model (vLLM-like), pure and clocked by
 * its caller: `schedule()` decides one step's batch and how long it takes,
 * `complete()` applies its outcome. The rules, so a prediction can be made by
 * hand (README "The load-aware simulator" says the same):
 *
 * 1. Decoding sequences (prefill done) each reserve KV for context + 1 + k
 *    tokens (k = specTokens). When no block is free, the newest running
 *    sequence is preempted: its blocks are released, it goes to the front of
 *    the queue and its prompt + generated tokens are recomputed later.
 * 2. Token budget = maxBatchedTokens − (1 + k) × decoding sequences. Sequences
 *    still prefilling take chunks of it, oldest first (chunked prefill).
 * 3. While running < maxNumSeqs and budget is left, the head of the queue is
 *    admitted if the KV cache can hold its context (prompt + generated); its
 *    leading full prompt blocks already cached are reused (prefix cache: hits
 *    += cached blocks × blockSize, queries += context tokens; at least one
 *    token is always computed) and it takes a prefill chunk.
 * 4. Step time (ms) = stepBaseMs + stepPerSeqMs × running + prefill tokens ÷ prefillRate.
 * 5. At the end of the step every decoding sequence emits 1 + a tokens, where
 *    a = leading draft tokens accepted, each with probability specAccept
 *    (E[a] = p + p² + ... + pᵏ); a sequence whose prefill completes emits its
 *    next token. A sequence with all its output tokens leaves and frees its blocks.
 */
import { KvPool } from './kv.js';

export interface BatchConfig {
  maxNumSeqs: number;
  maxBatchedTokens: number;
  stepBaseMs: number;
  stepPerSeqMs: number;
  /** Prefill tokens per ms; 0 = prefill costs no time. */
  prefillRate: number;
  kvBlocks: number;
  blockSize: number;
  specTokens: number;
  specAccept: number;
}

export interface SeqInput {
  id: number;
  promptTokens: number;
  outputTokens: number;
  /** Chain hashes of the prompt's full blocks (see prefix.ts). */
  blockHashes: readonly number[];
}

interface Seq extends SeqInput {
  generated: number;
  /** Context tokens whose KV is computed (during prefill). */
  computed: number;
  prefilled: boolean;
  /** Prompt counted in promptTokens (once, not again on recompute). */
  counted: boolean;
  shared: number[];
  priv: number;
}

export interface Step {
  durationMs: number;
  /** Sequences in the batch (decoding + prefilling). */
  running: number;
  prefillTokens: number;
  decoding: Seq[];
  chunks: Array<[Seq, number]>;
}

export interface StepOutcome {
  /** [sequence id, tokens emitted] in batch order. */
  emitted: Array<[number, number]>;
  finished: number[];
}

export interface BatchCounters {
  promptTokens: number;
  generationTokens: number;
  preemptions: number;
  prefixQueries: number;
  prefixHits: number;
  specDrafts: number;
  specDraftTokens: number;
  specAccepted: number;
  /** Accepted draft tokens per position (index 0 = first draft token). */
  specAcceptedPerPos: number[];
}

/** Rule 4: the time of a step with `running` sequences and `prefillTokens` prefilled (ms). */
export function stepMs(cfg: BatchConfig, running: number, prefillTokens = 0): number {
  return cfg.stepBaseMs + cfg.stepPerSeqMs * running + (cfg.prefillRate > 0 ? prefillTokens / cfg.prefillRate : 0);
}

export class BatchModel {
  readonly kv: KvPool;
  readonly running: Seq[] = [];
  readonly waiting: Seq[] = [];
  readonly counters: BatchCounters;

  constructor(readonly cfg: BatchConfig) {
    this.kv = new KvPool(cfg.kvBlocks, cfg.blockSize);
    this.counters = {
      promptTokens: 0,
      generationTokens: 0,
      preemptions: 0,
      prefixQueries: 0,
      prefixHits: 0,
      specDrafts: 0,
      specDraftTokens: 0,
      specAccepted: 0,
      specAcceptedPerPos: new Array<number>(cfg.specTokens).fill(0),
    };
  }

  private blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.cfg.blockSize);
  }

  /** Why a request can never run (longer than the whole KV cache), or null. */
  refuse(promptTokens: number, outputTokens: number): string | null {
    const need = this.blocksFor(promptTokens + outputTokens + 1 + this.cfg.specTokens);
    if (need <= this.cfg.kvBlocks) return null;
    return `prompt + output (${promptTokens + outputTokens} tokens) does not fit in the KV cache (${this.cfg.kvBlocks} blocks of ${this.cfg.blockSize})`;
  }

  /** Queues a request; a string says why it can never run (see refuse). */
  add(input: SeqInput): string | null {
    const problem = this.refuse(input.promptTokens, input.outputTokens);
    if (problem) return problem;
    this.waiting.push({ ...input, generated: 0, computed: 0, prefilled: false, counted: false, shared: [], priv: 0 });
    return null;
  }

  get idle(): boolean {
    return this.running.length === 0 && this.waiting.length === 0;
  }

  private drop(s: Seq): void {
    for (const h of s.shared) this.kv.unref(h);
    this.kv.release(s.priv);
    s.shared = [];
    s.priv = 0;
  }

  /** The client went away: forget the sequence wherever it is. */
  cancel(id: number): void {
    const r = this.running.findIndex((s) => s.id === id);
    if (r >= 0) {
      this.drop(this.running[r]!);
      this.running.splice(r, 1);
      return;
    }
    const w = this.waiting.findIndex((s) => s.id === id);
    if (w >= 0) this.waiting.splice(w, 1);
  }

  private preemptNewest(): Seq {
    const s = this.running.pop()!;
    this.drop(s);
    s.computed = 0;
    s.prefilled = false;
    this.waiting.unshift(s);
    this.counters.preemptions++;
    return s;
  }

  /** Decides the next step's batch (rules 1-4); null when there is nothing to do. */
  schedule(): Step | null {
    const { cfg, kv } = this;
    const k = cfg.specTokens;
    for (let i = 0; i < this.running.length; i++) {
      const s = this.running[i]!;
      if (!s.prefilled) continue;
      const need = this.blocksFor(s.promptTokens + s.generated + 1 + k) - s.shared.length - s.priv;
      let gone = false;
      while (need > 0 && !kv.alloc(need)) {
        if (this.preemptNewest() === s) {
          gone = true;
          break;
        }
      }
      if (gone) break;
      if (need > 0) s.priv += need;
    }
    const decoding = this.running.filter((s) => s.prefilled);
    let budget = cfg.maxBatchedTokens - decoding.length * (1 + k);
    const chunks: Array<[Seq, number]> = [];
    let prefillTokens = 0;
    const take = (s: Seq): void => {
      const c = Math.min(s.promptTokens + s.generated - s.computed, Math.max(0, budget));
      if (c <= 0) return;
      chunks.push([s, c]);
      budget -= c;
      prefillTokens += c;
    };
    for (const s of this.running) if (!s.prefilled) take(s);
    while (this.waiting.length > 0 && this.running.length < cfg.maxNumSeqs && budget > 0) {
      const s = this.waiting[0]!;
      const ctx = s.promptTokens + s.generated;
      const maxHit = Math.min(Math.floor((ctx - 1) / cfg.blockSize), Math.floor(s.promptTokens / cfg.blockSize));
      const hit = kv.cachedPrefix(s.blockHashes, maxHit);
      const hashes = s.blockHashes.slice(0, hit);
      for (const h of hashes) kv.ref(h);
      const need = this.blocksFor(ctx) - hit;
      if (!kv.alloc(need)) {
        for (const h of hashes) kv.unref(h);
        break;
      }
      this.counters.prefixQueries += ctx;
      this.counters.prefixHits += hit * cfg.blockSize;
      s.shared = hashes;
      s.priv = need;
      s.computed = hit * cfg.blockSize;
      this.waiting.shift();
      this.running.push(s);
      take(s);
    }
    if (this.running.length === 0) return null;
    const running = this.running.length;
    const durationMs = stepMs(cfg, running, prefillTokens);
    return { durationMs, running, prefillTokens, decoding, chunks };
  }

  /** Applies the step's outcome (rule 5); `random()` draws draft acceptance in [0, 1). */
  complete(step: Step, random: () => number): StepOutcome {
    const { cfg, counters } = this;
    const k = cfg.specTokens;
    const emitted: Array<[number, number]> = [];
    const live = new Set(this.running);
    for (const s of step.decoding) {
      if (!live.has(s) || !s.prefilled) continue;
      let a = 0;
      if (k > 0) {
        while (a < k && random() < cfg.specAccept) a++;
        counters.specDrafts++;
        counters.specDraftTokens += k;
        counters.specAccepted += a;
        for (let i = 0; i < a; i++) counters.specAcceptedPerPos[i]!++;
      }
      const n = Math.min(1 + a, s.outputTokens - s.generated);
      s.generated += n;
      emitted.push([s.id, n]);
    }
    for (const [s, c] of step.chunks) {
      if (!live.has(s)) continue;
      s.computed += c;
      if (s.computed < s.promptTokens + s.generated) continue;
      s.prefilled = true;
      const full = Math.min(s.blockHashes.length, Math.floor(s.promptTokens / cfg.blockSize));
      for (let i = s.shared.length; i < full; i++) {
        this.kv.publish(s.blockHashes[i]!);
        s.shared.push(s.blockHashes[i]!);
        s.priv--;
      }
      if (!s.counted) counters.promptTokens += s.promptTokens;
      s.counted = true;
      s.generated++;
      emitted.push([s.id, 1]);
    }
    const finished: number[] = [];
    for (let i = this.running.length - 1; i >= 0; i--) {
      const s = this.running[i]!;
      if (s.generated < s.outputTokens) continue;
      this.drop(s);
      this.running.splice(i, 1);
      finished.push(s.id);
    }
    for (const [, n] of emitted) counters.generationTokens += n;
    return { emitted, finished };
  }
}
