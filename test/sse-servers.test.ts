/**
 * Small misbehaving SSE servers (node `net`, not the simulator): line ends,
 * a byte order mark, invalid JSON, streams without [DONE], tool-call-only
 * answers, an error object, a role chunk long before the first text, usage on
 * the last chunk that still has choices. Each runs through the real engine.
 */
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { chatPlan, runPlan } from './engine-helpers.js';
import { viewOf } from '../src/metrics/dialects.js';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!();
});

/** A server answering every POST with `head` + the pieces of `body` (`delayMs` apart), then closing. */
async function sseServer(body: Array<string | Buffer>, delayMs = 0): Promise<string> {
  const socks = new Set<Socket>();
  const srv = createServer((sock) => {
    socks.add(sock);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => void answer(d));
    const answer = async (d: Buffer): Promise<void> => {
      const s = d.toString('latin1');
      if (s.startsWith('GET ')) return void sock.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}');
      if (!s.startsWith('POST ')) return;
      sock.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n');
      for (const piece of body) {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        if (sock.destroyed) return;
        sock.write(piece);
      }
      sock.end();
    };
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(() => {
    for (const so of socks) so.destroy();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  return `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
}

const chunk = (delta: object, extra = ''): string =>
  `data: {"choices":[{"index":0,"delta":${JSON.stringify(delta)}}]${extra}}\n\n`;
const text = (t: string): string => chunk({ content: t });
const usage = 'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\n';
const done = 'data: [DONE]\n\n';
const run = (origin: string, n = 3) => runPlan(chatPlan(origin, n, 2, () => 'hi', { timeoutMs: 5000 }));

describe('line ends and a byte order mark', () => {
  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['bare CR', '\r'],
    ['LF', '\n'],
  ] as const) {
    it(`${name}, with a UTF-8 BOM before the first event: every token counted`, async () => {
      const body = (chunk({ role: 'assistant', content: '' }) + text('a') + text('b') + usage + done).replace(
        /\n/g,
        eol,
      );
      const origin = await sseServer([Buffer.from([0xef, 0xbb, 0xbf]), body]);
      const { records } = await run(origin);
      expect(records.map((r) => [r.ok, r.code, r.kinds?.filter((k) => k === 0).length])).toEqual(
        Array(3).fill([true, undefined, 2]),
      );
    });
  }
});

describe('what fails and what succeeds', () => {
  it('invalid JSON is E_BAD_SSE quoting the bytes, sanitised and shortened', async () => {
    const origin = await sseServer([text('a') + 'data: {"choices":\x1b[2J' + 'z'.repeat(500) + '\n\n' + done]);
    const { records } = await run(origin);
    for (const r of records) {
      expect(r.ok).toBe(false);
      expect(r.code).toBe('E_BAD_SSE');
      expect(r.message).toContain('\\x1b[2J');
      // eslint-disable-next-line no-control-regex
      expect(/[\u0000-\u001f\u007f-\u009f]/.test(r.message!)).toBe(false);
      expect(r.message!.length).toBeLessThan(200);
    }
  });

  it('{...,,} is E_BAD_SSE, not a token', async () => {
    const origin = await sseServer([
      text('a') + 'data: {"choices":[{"index":0,"delta":{"content":"b"}}],,}\n\n' + done,
    ]);
    const { records } = await run(origin);
    expect(records.every((r) => !r.ok && r.code === 'E_BAD_SSE')).toBe(true);
  });

  it('a stream that ends cleanly without [DONE] succeeds and is counted as such', async () => {
    const origin = await sseServer([text('a'), text('b'), usage]);
    const { records, result } = await run(origin, 4);
    expect(records.every((r) => r.ok && r.noDone === true)).toBe(true);
    expect(result.common.find((c) => c.name === 'Failed Requests')!.value).toBe(0);
    expect(result.common.find((c) => c.name === 'Ended Without [DONE]')!.value).toBe(4);
  });

  it('a tool-call-only stream is a success with its deltas as tokens (not E_EMPTY)', async () => {
    const call = (args: string) => chunk({ content: null, tool_calls: [{ index: 0, function: { arguments: args } }] });
    const origin = await sseServer([
      chunk({ role: 'assistant', content: null }) + call('{"city":') + call('"Paris"}') + usage + done,
    ]);
    const { records } = await run(origin);
    expect(records.every((r) => r.ok && r.outTok === 2 && r.kinds!.filter((k) => k === 2).length === 2)).toBe(true);
  });

  it('an error object in the stream fails with E_SERVER_ERROR (the references count it a success)', async () => {
    const origin = await sseServer([text('a') + 'data: {"error":{"message":"KV cache full"}}\n\n']);
    const { records } = await run(origin);
    expect(
      records.every(
        (r) => !r.ok && r.code === 'E_SERVER_ERROR' && r.message === 'server error in stream: KV cache full',
      ),
    ).toBe(true);
    // aisbench-exact and vllm count it as AISBench and vLLM do: a success.
    expect(
      records.every((r) => viewOf(r, 'aisbench-exact').ok && viewOf(r, 'vllm').ok && !viewOf(r, 'aisbench').ok),
    ).toBe(true);
  });
});

describe('a server like `transformers serve`: role chunk before generation, usage on the last choices chunk', () => {
  it('aisbench times the first text; vllm the role chunk, and reads 0 output tokens', async () => {
    // Role chunk, a keep-alive, then two text chunks, 150 ms apart;
    // the last one carries finish_reason and usage; no [DONE].
    const last = `data: {"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}],"usage":{"prompt_tokens":74,"completion_tokens":2}}\n\n`;
    const slow = await sseServer([chunk({ role: 'assistant', content: '' }), ': pad\n\n', text('a'), last], 150);
    const { records } = await run(slow, 2);
    for (const r of records) {
      expect(r.ok && r.noDone).toBe(true);
      const ais = viewOf(r, 'aisbench');
      const vl = viewOf(r, 'vllm');
      // Pieces are 150 ms apart: role at ~150 ms, "a" at ~450 ms (after the pad), "b" at ~600 ms.
      expect(ais.ttft - vl.ttft).toBeGreaterThan(100); // 300 ms nominal, loose on a loaded machine
      expect(ais.outTok).toBe(2);
      expect(ais.inTok).toBe(74); // chat prompt tokens with the template, as the server counts them
      expect(vl.outTok).toBe(0); // vLLM reads usage only on a chunk without choices
      expect(vl.tpot).toBeNaN(); // and leaves the request out of TPOT
    }
  });
});
