import { connect } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RuntimeError } from '../src/core/errors.js';
import { startSimulator, type SimOptions, type SimServer } from '../src/sim/index.js';
import { chatBody, send, sseData } from './sim-client.js';

const sims: SimServer[] = [];
async function sim(opts: SimOptions): Promise<SimServer> {
  const s = await startSimulator(opts);
  sims.push(s);
  return s;
}
afterAll(() => Promise.all(sims.map((s) => s.close())));

const body = (n = 10) => chatBody({ max_tokens: n, ignore_eos: true });

/** Raw HTTP/1.1 exchange, to see the chunked framing itself. */
function rawPost(url: string, path: string, json: unknown): Promise<string> {
  const { hostname, port } = new URL(url);
  const text = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), hostname);
    let got = '';
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => (got += d));
    sock.on('end', () => resolve(got));
    sock.on('error', reject);
    sock.write(
      `POST ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${text.length}\r\n\r\n${text}`,
    );
  });
}

describe('simulator faults', () => {
  it.each([500, 429, 503])('fail-rate 1 answers status %i with a JSON error', async (status) => {
    const s = await sim({ failRate: 1, failStatus: status });
    const r = await send(s.url, '/v1/chat/completions', body());
    expect(r.status).toBe(status);
    expect(JSON.parse(r.text).error).toMatchObject({ code: status, message: expect.stringMatching(/simulated/) });
    expect(s.requestLog().at(-1)).toMatchObject({ fault: 'fail', status, tokens: 0, firstTokenAt: null });
  });

  it('fail-rate is a seeded per-request probability', async () => {
    const pattern = async () => {
      const s = await sim({ failRate: 0.5, seed: 11 });
      const out: number[] = [];
      for (let i = 0; i < 24; i++)
        out.push((await send(s.url, '/v1/completions', { prompt: 'x', max_tokens: 1 })).status);
      return out;
    };
    const a = await pattern();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });

  it('reset-rate 1 cuts the connection mid-stream, before [DONE]', async () => {
    const s = await sim({ resetRate: 1 });
    const r = await send(s.url, '/v1/chat/completions', body(10));
    expect(r.error).toBeDefined();
    expect(r.text).not.toContain('[DONE]');
    // The first half (5 tokens) arrived before the cut.
    expect(r.text.split('"content":" ').length - 1).toBe(5);
    expect(s.requestLog().at(-1)).toMatchObject({ fault: 'reset', tokens: 5, plannedTokens: 10 });
  });

  it('garbage-rate 1 puts one malformed data: line mid-stream', async () => {
    const s = await sim({ garbageRate: 1 });
    const r = await send(s.url, '/v1/chat/completions', body(10));
    const data = sseData(r.text);
    const bad = data.filter((d) => d !== '[DONE]' && !d.startsWith('{"'));
    expect(bad).toEqual(['{not json']);
    expect(data.indexOf('{not json')).toBe(1 + 5);
    expect(data.at(-1)).toBe('[DONE]');
    expect(s.requestLog().at(-1)).toMatchObject({ fault: 'garbage', tokens: 10 });
  });

  it('no-done ends the stream cleanly without [DONE]', async () => {
    const s = await sim({ noDone: true });
    const r = await send(
      s.url,
      '/v1/chat/completions',
      chatBody({ max_tokens: 4, ignore_eos: true, stream_options: { include_usage: true } }),
    );
    expect(r.error).toBeUndefined();
    const data = sseData(r.text);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!).usage.completion_tokens).toBe(4);
  });

  it('huge-chunk sends one event of that many bytes and keeps the token count', async () => {
    const s = await sim({ hugeChunkBytes: 1_000_000 });
    const r = await send(s.url, '/v1/chat/completions', body(6));
    const events = sseData(r.text).slice(1, -1);
    expect(events).toHaveLength(6);
    const sizes = events.map((e) => (JSON.parse(e).choices[0].delta.content as string).length);
    expect(sizes.filter((n) => n >= 1_000_000)).toHaveLength(1);
    expect(sizes[3]).toBe(1_000_000);
    expect(events.map((e) => JSON.parse(e).choices[0].delta.content.split(/\s+/).filter(Boolean).length)).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
  });

  it('drip writes the body one byte per write', async () => {
    const s = await sim({ drip: true });
    const raw = await rawPost(s.url, '/v1/completions', { prompt: 'x', max_tokens: 2, ignore_eos: true, stream: true });
    const split = raw.indexOf('\r\n\r\n');
    expect(raw.slice(0, split)).toMatch(/transfer-encoding: chunked/i);
    // Every chunk of the chunked encoding carries exactly one byte: unframing
    // "1\r\n<byte>\r\n" repeatedly must leave only the terminating "0\r\n\r\n".
    const framed = raw.slice(split + 4);
    const body = framed.replace(/1\r\n([\s\S])\r\n/g, '$1');
    expect(body.endsWith('0\r\n\r\n')).toBe(true);
    const unframed = body.slice(0, -5);
    expect(sseData(unframed)).toHaveLength(3);
    expect(framed.length).toBe(unframed.length * 6 + 5);
  });

  it('notes a client that goes away before the end', async () => {
    const s = await sim({ ttftMs: 5_000 });
    const ac = new AbortController();
    const pending = send(s.url, '/v1/chat/completions', body(), { signal: ac.signal });
    await vi.waitFor(() => expect(s.stats().active).toBe(1));
    ac.abort();
    await pending;
    await vi.waitFor(() => expect(s.stats().active).toBe(0));
    expect(s.requestLog().at(-1)).toMatchObject({ aborted: true, tokens: 0, firstTokenAt: null });
  });
});

describe('simulator lifecycle', () => {
  it('refuses a port in use with E_PORT_IN_USE', async () => {
    const s = await sim({});
    const err = await startSimulator({ port: s.port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({
      code: 'E_PORT_IN_USE',
      exitCode: 1,
      message: `port ${s.port} is already in use (simulator)`,
    });
  });

  it('close() does not hang on keep-alive or in-flight connections', async () => {
    const s = await startSimulator({ ttftMs: 60_000 });
    const { Agent, request } = await import('undici');
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const idle = await request(`${s.url}/v1/models`, { dispatcher: agent });
    await idle.body.text();
    const inflight = send(s.url, '/v1/chat/completions', body());
    await vi.waitFor(() => expect(s.stats().active).toBe(1));
    await s.close();
    const r = await inflight;
    expect(r.error).toBeDefined();
    expect(r.text).not.toContain('[DONE]');
    await agent.close();
    const refused = await send(s.url, '/v1/models');
    expect(refused.error).toBe('ECONNREFUSED');
  });
});
