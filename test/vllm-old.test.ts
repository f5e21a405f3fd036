/**
 * vLLM's old /generate task (vllm_api_old, #15): the NUL-frame parser on hand-made
 * frames, and demo-sized runs against the fixed-schedule simulator (the batch
 * engine's run is in e2e-backends.test.ts) with the chat number checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NulFrameParser } from '../src/engine/nul-frames.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { cli, expectNumbers, runBackend } from './backend-harness.js';

const frame = (text: string): string => `${JSON.stringify({ text: [text] })}\0`;

describe('NulFrameParser', () => {
  it('one token event per frame that adds text; the prompt the server repeats is not output; reads may split frames anywhere', () => {
    const p = new NulFrameParser(true, 'Q: 2+2?');
    const wire = Buffer.from(frame('Q: 2+2? A') + frame('Q: 2+2? A:') + frame('Q: 2+2? A: 4') + frame('Q: 2+2? A: 4'));
    // Split into 5-byte reads at t = 0, 1, 2, ... ms.
    for (let i = 0, t = 0; i < wire.length; i += 5, t++) p.push(wire.subarray(i, i + 5), t);
    p.end(100);
    // Frames add ' A' (2), ':' (1), ' 4' (2); the fourth repeats the third (no new text, no token).
    expect(p.tokenEvents).toBe(3);
    expect(p.lens).toEqual([2, 1, 2]);
    expect(p.text?.join('')).toBe(' A: 4');
    expect(p.events).toBe(4);
    expect(p.done).toBe(true);
    expect(p.error).toBeNull();
    // Frame 1 is 22 characters ({"text":["Q: 2+2? A"]}), its NUL at index 22: in read 4 (bytes 20-24), t = 4.
    expect(p.times[0]).toBe(4);
  });

  it('a server that does not echo the prompt; a last frame without its NUL', () => {
    const p = new NulFrameParser(false, 'prompt');
    p.push(Buffer.from(frame(' one') + JSON.stringify({ text: [' one two'] })), 7);
    p.end(9);
    expect(p.tokenEvents).toBe(2);
    expect(p.lens).toEqual([4, 4]);
    expect(p.times).toEqual([7, 9]);
  });

  it('malformed frames and error objects are failures with the frame quoted', () => {
    const bad = new NulFrameParser(false, '');
    bad.push(Buffer.from('<html>oops</html>\0'), 1);
    expect(bad.error).toEqual({ code: 'E_BAD_SSE', message: 'malformed /generate frame: <html>oops</html>' });
    const err = new NulFrameParser(false, '');
    err.push(Buffer.from(`${JSON.stringify({ error: 'overloaded' })}\0`), 1);
    expect(err.error?.code).toBe('E_SERVER_ERROR');
    expect(err.error?.message).toContain('"overloaded"');
  });
});

describe('vllm_api_old against the fixed-schedule simulator', () => {
  let sim: SimServer;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 20, itlMs: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'aisbench-vllm-old-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a demo-sized run with the chat number checks; the body has prompt, stream, max_tokens and no model', async () => {
    const before = sim.requestLog().length;
    const run = await runBackend(sim, 'vllm_api_old', 24);
    const seen = sim.requestLog().slice(before);
    expectNumbers(run, { ...sim, requestLog: () => seen }, '/generate', 24, true);
    const body = seen.find((e) => e.path === '/generate')!.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['ignore_eos', 'max_tokens', 'prompt', 'stream', 'temperature']);
    expect(body.stream).toBe(true);
    // Every frame was one token: chunks written = tokens.
    for (const e of seen.filter((x) => x.path === '/generate')) expect(e.chunks).toBe(e.tokens);
  }, 60_000);

  it('the simulator answers a non-streamed /generate (both engines) with the prompt and the output as one text, no counts', async () => {
    const { startBatchSimulator } = await import('../src/sim/index.js');
    const batch = await startBatchSimulator({ stepBaseMs: 1, stepPerSeqMs: 0.1 });
    try {
      for (const s of [sim, batch]) {
        const res = await fetch(`${s.url}/generate`, {
          method: 'POST',
          body: JSON.stringify({ prompt: 'one two three', max_tokens: 5, ignore_eos: true }),
        });
        expect(res.headers.get('content-type')).toBe('application/json');
        const j = (await res.json()) as { text: string[] };
        expect(Object.keys(j)).toEqual(['text']);
        // The simulator's words: ' the', ' a', ' tok', ' of', ' sim' (src/sim/tokens.ts WORDS).
        expect(j.text).toEqual(['one two three the a tok of sim']);
      }
    } finally {
      await batch.close();
    }
  });
});

describe('vllm_api_old in the accuracy modes', () => {
  let sim: SimServer;
  let dir: string;
  beforeAll(async () => {
    // Answers from the key, always right: the score says whether prompts reached /generate whole and outputs came back whole.
    sim = await startSimulator({
      ttftMs: 2,
      itlMs: 1,
      answerKey: path.join(import.meta.dirname, '..', 'fixtures', 'gsm8k-sample.jsonl'),
      accuracy: 1,
    });
    dir = mkdtempSync(path.join(tmpdir(), 'aisbench-vllm-old-acc-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--mode all: the question goes out as a text prompt, the streamed answers score 100', async () => {
    const r = await cli([
      '--models',
      'vllm_api_old',
      '--datasets',
      'gsm8k_gen',
      '--dataset-path',
      path.join(import.meta.dirname, '..', 'fixtures', 'gsm8k-sample.jsonl'),
      '--url',
      sim.url,
      '--mode',
      'all',
      '--no-tui',
      '-w',
      path.join(dir, 'w'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Every question answered from the key.
    expect(r.stdout).toMatch(/^gsm8k +[0-9a-f]{6} +accuracy +gen +100\.00$/m);
    const bodies = sim
      .requestLog()
      .filter((e) => e.path === '/generate')
      .map((e) => e.body as Record<string, unknown>);
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    for (const b of bodies) {
      expect(typeof b.prompt).toBe('string');
      expect(b.messages).toBeUndefined();
    }
  }, 60_000);
});
