import { describe, expect, it, vi } from 'vitest';
import { AnswerEvents, type AnswerShape } from '../src/sim/events.js';
import { OutBuilder } from '../src/sim/out-builder.js';
import { RequestLogRing, type SimRequestLog } from '../src/sim/request-log.js';
import { createRng } from '../src/sim/rng.js';
import { PRECISE_SLACK_MS, TimerHeap } from '../src/sim/timer-heap.js';
import { countWords, promptTokensOf, WORDS } from '../src/sim/tokens.js';
import { nowMs } from '../src/engine/clock.js';

const shape = (over: Partial<AnswerShape> = {}): AnswerShape => ({
  chat: true,
  id: 'chatcmpl-sim-1',
  created: 1,
  model: 'm',
  tokens: 50,
  perChunk: 1,
  finishReason: 'length',
  promptTokens: 3,
  hugeAt: -1,
  hugeBytes: 0,
  ...over,
});

function render(ev: AnswerEvents, from: number, to: number): string {
  const out = new OutBuilder();
  ev.render(from, to, out);
  const got = out.take();
  return typeof got === 'string' ? got : got.toString('utf8');
}

describe('answer events', () => {
  it.each([1, 3, 8, 5])('renders long runs (repeat/fill) exactly like one event at a time, k = %i', (k) => {
    for (const chat of [true, false]) {
      const ev = new AnswerEvents(shape({ chat, perChunk: k, tokens: 1003, hugeAt: 40, hugeBytes: 20 }));
      const whole = render(ev, 0, ev.chunks);
      let oneByOne = '';
      for (let j = 0; j < ev.chunks; j++) oneByOne += render(ev, j, j + 1);
      expect(whole).toBe(oneByOne);
      const texts = whole
        .split('\n\n')
        .filter(Boolean)
        .map((e) => JSON.parse(e.slice(6)).choices[0]);
      const content = texts.map((c) => (chat ? c.delta.content : c.text) as string).join('');
      expect(countWords(content)).toBe(1003);
      expect(texts.at(-1).finish_reason).toBe('length');
      expect(texts.slice(0, -1).every((c) => c.finish_reason === null)).toBe(true);
    }
  });

  it('cycles through the word list by token index', () => {
    const ev = new AnswerEvents(shape({ tokens: 10, chat: false }));
    expect(ev.fullText()).toBe([...WORDS, WORDS[0], WORDS[1]].join(''));
    expect(ev.tokensIn(9)).toBe(1);
  });
});

describe('out builder', () => {
  it('keeps short output as a string and long runs as one buffer', () => {
    const a = new OutBuilder();
    a.add('x');
    a.repeat('ab', 3);
    expect(a.take()).toBe('xababab');
    const b = new OutBuilder();
    b.add('<');
    b.repeat('é0123456789', 1000);
    b.add('>');
    const got = b.take();
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got.toString()).toBe(`<${'é0123456789'.repeat(1000)}>`);
  });
});

describe('prompt tokens', () => {
  it('counts whitespace-separated words', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  a\tb\n\nc  ')).toBe(3);
    expect(promptTokensOf({ prompt: [1, 2, 3] }, false)).toBe(3);
    expect(promptTokensOf({ prompt: ['a b', 'c'] }, false)).toBe(3);
    expect(
      promptTokensOf(
        { messages: [{ content: 'a b' }, { content: [{ type: 'text', text: 'c' }, { type: 'image_url' }] }] },
        true,
      ),
    ).toBe(3);
  });
});

describe('rng', () => {
  it('is deterministic per seed and stays in range', () => {
    const a = createRng(9);
    const b = createRng(9);
    const xs = Array.from({ length: 100 }, () => a.int(16, 128));
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.int(16, 128)));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...xs)).toBeLessThanOrEqual(128);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
  });
});

describe('timer heap', () => {
  it('fires items in due order, never before their time minus the slack', async () => {
    const fired: { id: number; late: number }[] = [];
    const t0 = nowMs();
    const dues = [30, 5, 20, 0, 10, 10, 25];
    const heap = new TimerHeap<number>((id, now) => fired.push({ id, late: now - (t0 + dues[id]!) }));
    dues.forEach((d, id) => heap.push(t0 + d, id));
    await vi.waitFor(() => expect(fired).toHaveLength(dues.length));
    expect(fired.map((f) => dues[f.id])).toEqual([...dues].sort((x, y) => x - y));
    for (const f of fired) expect(f.late).toBeGreaterThanOrEqual(-0.55);
    heap.close();
  });

  it('a precise heap (first tokens) fires in due order and at most 0.02 ms early', async () => {
    const fired: { id: number; late: number }[] = [];
    const t0 = nowMs();
    const dues = [12, 3, 7.5, 0, 4.2, 4.2, 9];
    const heap = new TimerHeap<number>((id) => fired.push({ id, late: nowMs() - (t0 + dues[id]!) }), true);
    dues.forEach((d, id) => heap.push(t0 + d, id));
    await vi.waitFor(() => expect(fired).toHaveLength(dues.length));
    expect(fired.map((f) => dues[f.id])).toEqual([...dues].sort((x, y) => x - y));
    for (const f of fired) expect(f.late).toBeGreaterThanOrEqual(-PRECISE_SLACK_MS);
    heap.close();
  });
});

describe('request log ring', () => {
  it('keeps the most recent entries, oldest first', () => {
    const ring = new RequestLogRing(3);
    for (let id = 1; id <= 5; id++) ring.add({ id } as SimRequestLog);
    expect(ring.list().map((e) => e.id)).toEqual([3, 4, 5]);
  });
});
