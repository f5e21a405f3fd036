import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { chatBody, send, sseData } from './sim-client.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ seed: 7, outputMin: 5, outputMax: 9 });
});
afterAll(() => sim.close());

const entryOf = (id: string | string[] | undefined) => sim.requestLog().find((e) => String(e.id) === id);
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('simulator API shape', () => {
  it('lists its model', async () => {
    const r = await send(sim.url, '/v1/models');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ object: 'list', data: [{ id: 'sim-model', object: 'model' }] });
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('streams chat: role chunk, one word per token, usage chunk, [DONE]', async () => {
    const r = await send(
      sim.url,
      '/v1/chat/completions',
      chatBody({ max_tokens: 12, ignore_eos: true, stream_options: { include_usage: true } }, 5),
    );
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
    const data = sseData(r.text);
    expect(data.at(-1)).toBe('[DONE]');
    const events = data.slice(0, -1).map((d) => JSON.parse(d));
    const [role, ...rest] = events;
    expect(role).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'sim-model',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    expect(typeof role.id).toBe('string');
    expect(typeof role.created).toBe('number');
    const usage = rest.pop();
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({ prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 });
    expect(rest).toHaveLength(12);
    rest.forEach((e, i) => {
      expect(e.id).toBe(role.id);
      expect(words(e.choices[0].delta.content)).toBe(1);
      expect(e.choices[0].finish_reason).toBe(i === 11 ? 'length' : null);
    });
    const entry = entryOf(r.headers['x-sim-request-id'])!;
    expect(entry).toMatchObject({
      path: '/v1/chat/completions',
      stream: true,
      tokens: 12,
      plannedTokens: 12,
      chunks: 12,
      promptTokens: 5,
      status: 200,
      fault: null,
      aborted: false,
    });
    expect(entry.body).toMatchObject({ max_tokens: 12, ignore_eos: true });
    expect(entry.firstTokenAt).toBeGreaterThanOrEqual(entry.receivedAt);
  });

  it('streams completions without role or usage chunk unless asked', async () => {
    const r = await send(sim.url, '/v1/completions', {
      prompt: 'one two three four',
      max_tokens: 6,
      ignore_eos: true,
      stream: true,
    });
    const data = sseData(r.text);
    expect(data.at(-1)).toBe('[DONE]');
    const events = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(events).toHaveLength(6);
    for (const e of events) {
      expect(e.object).toBe('text_completion');
      expect(words(e.choices[0].text)).toBe(1);
    }
    expect(entryOf(r.headers['x-sim-request-id'])!.promptTokens).toBe(4);
  });

  it('without ignore_eos draws the length from [outputMin, outputMax], capped by max_tokens', async () => {
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await send(sim.url, '/v1/completions', { prompt: 'x', stream: true });
      lengths.push(sseData(r.text).length - 1);
    }
    for (const n of lengths) {
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBeLessThanOrEqual(9);
    }
    const capped = await send(sim.url, '/v1/completions', { prompt: 'x', stream: true, max_tokens: 3 });
    expect(sseData(capped.text).length - 1).toBeLessThanOrEqual(3);
    // finish_reason says why it stopped.
    const last = JSON.parse(sseData(capped.text).at(-2)!);
    expect(['length', 'stop']).toContain(last.choices[0].finish_reason);
  });

  it('draws the same lengths for the same seed', async () => {
    const draw = async () => {
      const s = await startSimulator({ seed: 42, outputMin: 1, outputMax: 1000 });
      const out: number[] = [];
      for (let i = 0; i < 4; i++)
        out.push(JSON.parse((await send(s.url, '/v1/completions', { prompt: 'x' })).text).usage.completion_tokens);
      await s.close();
      return out;
    };
    expect(await draw()).toEqual(await draw());
  });

  it('answers non-streaming requests with usage', async () => {
    const chat = await send(
      sim.url,
      '/v1/chat/completions',
      chatBody({ stream: false, max_tokens: 10, ignore_eos: true }, 2),
    );
    expect(chat.headers['content-type']).toBe('application/json');
    const c = JSON.parse(chat.text);
    expect(c).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 2, completion_tokens: 10, total_tokens: 12 },
    });
    expect(words(c.choices[0].message.content)).toBe(10);
    const comp = JSON.parse(
      (await send(sim.url, '/v1/completions', { prompt: ['a b', 'c'], max_tokens: 4, ignore_eos: true })).text,
    );
    expect(comp.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(words(comp.choices[0].text)).toBe(4);
  });

  it('counts chat prompt tokens over every message, text parts included', async () => {
    const r = await send(sim.url, '/v1/chat/completions', {
      messages: [
        { role: 'system', content: 'be  brief\n' },
        { role: 'user', content: [{ type: 'text', text: 'three more words' }] },
      ],
      max_tokens: 1,
    });
    expect(JSON.parse(r.text).usage.prompt_tokens).toBe(5);
  });

  it('answers 400 to a bad body and 404 to an unknown path, as one JSON error', async () => {
    const bad = await send(sim.url, '/v1/completions', '{nope');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/JSON/);
    const neg = await send(sim.url, '/v1/completions', { prompt: 'x', max_tokens: -1 });
    expect(neg.status).toBe(400);
    const none = await send(sim.url, '/v2/nothing', {});
    expect(none.status).toBe(404);
  });

  it('counts requests and tokens', () => {
    const s = sim.stats();
    expect(s.requests).toBe(sim.requestLog().length);
    expect(s.active).toBe(0);
    expect(s.tokens).toBe(sim.requestLog().reduce((a, e) => a + e.tokens, 0));
  });
});
