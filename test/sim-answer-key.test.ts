import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSimCommand, startSimulator, type SimServer } from '../src/sim/index.js';
import { loadSamples } from '../src/datasets/accuracy/samples.js';
import { samplePrompt } from '../src/datasets/accuracy/prompts.js';
import { gsm8kJudge, choiceJudge } from '../src/scoring/evaluate.js';
import { send, sseData } from './sim-client.js';

let sim: SimServer | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function ask(body: Record<string, unknown>): Promise<string> {
  const r = await send(sim!.url, '/v1/chat/completions', body);
  if (body.stream) {
    return sseData(r.text)
      .filter((d) => d !== '[DONE]')
      .map((d) => JSON.parse(d).choices[0]?.delta?.content ?? '')
      .join('');
  }
  return JSON.parse(r.text).choices[0].message.content;
}

describe('simulator answer key', () => {
  it('GSM8K: reasoning then #### n; right about as often as asked', async () => {
    sim = await startSimulator({ answerKey: 'src/config/builtin/data/demo_gsm8k.jsonl', accuracy: 0.7, seed: 3 });
    const samples = loadSamples('gsm8k', 'src/config/builtin/data/demo_gsm8k.jsonl');
    let right = 0;
    for (const s of samples) {
      const out = await ask({ messages: samplePrompt('gsm8k', s, false), stream: s.id % 2 === 0, max_tokens: 512 });
      expect(out).toMatch(/\n#### -?\d+$/);
      if (gsm8kJudge(out, s.reference).correct) right++;
    }
    // Binomial(200, 0.7): sd = sqrt(200 * 0.7 * 0.3) = 6.5 answers; 10 points = 20 answers > 3 sd.
    expect(Math.abs(right / 2 - 70)).toBeLessThan(10);
  });
  it('accuracy 1 and 0; multiple choice answers a letter; unknown questions get filler', async () => {
    sim = await startSimulator({ answerKey: 'fixtures/accuracy/mmlu', accuracy: 1 });
    const mc = loadSamples('choice', 'fixtures/accuracy/mmlu');
    for (const s of mc) {
      const out = await ask({ messages: samplePrompt('choice', s, false), stream: true });
      expect(out).toBe(s.reference);
    }
    const filler = await ask({
      messages: [{ role: 'user', content: 'hello there' }],
      stream: false,
      max_tokens: 5,
      ignore_eos: true,
    });
    expect(filler.trim().split(/\s+/)).toHaveLength(5);
    await sim.close();
    sim = await startSimulator({ answerKey: 'fixtures/accuracy/mmlu', accuracy: 0 });
    for (const s of mc) {
      const out = await ask({ messages: samplePrompt('choice', s, false), stream: false });
      expect(choiceJudge(out, s.reference)).toMatchObject({ correct: false });
      expect(out).toMatch(/^[ABCD]$/);
    }
  });
  it('aisbench-tui sim --answer-key FILE --accuracy 0: every known question answered wrongly, as GSM8K', async () => {
    const stop = new AbortController();
    let said = '';
    const ran = runSimCommand(
      [
        '--port',
        '0',
        '--ttft',
        '0',
        '--itl',
        '0',
        '--answer-key',
        'src/config/builtin/data/demo_gsm8k.jsonl',
        '--accuracy',
        '0',
      ],
      {
        write: (l) => (said += l),
        signal: stop.signal,
      },
    );
    await vi.waitFor(() =>
      expect(said).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ .*answer key .*demo_gsm8k\.jsonl at accuracy 0/),
    );
    const url = /(http:\/\/\S+)/.exec(said)![1]!;
    const s = loadSamples('gsm8k', 'src/config/builtin/data/demo_gsm8k.jsonl', 3);
    for (const q of s) {
      const r = await send(url, '/v1/chat/completions', { messages: samplePrompt('gsm8k', q, false), stream: false });
      const out = JSON.parse(r.text).choices[0].message.content as string;
      expect(out).toMatch(/#### -?\d+$/);
      expect(gsm8kJudge(out, q.reference).correct).toBe(false);
    }
    stop.abort();
    expect(await ran).toBe(0);
  });

  it('a bad key file is a one-line error', async () => {
    await expect(startSimulator({ answerKey: 'fixtures/accuracy/bad/bad-letter.csv' })).rejects.toThrow(
      'dataset fixtures/accuracy/bad/bad-letter.csv: line 2: unknown answer letter "E" (expected A, B, C or D)',
    );
  });
});
