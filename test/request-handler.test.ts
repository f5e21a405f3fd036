/**
 * engine/request.ts on undici's handler interface (onRequestStart /
 * onResponseStart / onResponseData / onResponseEnd / onResponseError),
 * against small servers written here:
 * - t0 is stamped when the request is written (onRequestStart runs in
 *   undici's writeH1), not when it was dispatched: a request queued behind
 *   another on the one connection of a Pool starts its clock after the wait;
 * - the response headers the failure rules read (content-type, retry-after)
 *   still arrive, and an abort before the write cancels the request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { attempt, type AbortSet, type AttemptOptions } from '../src/engine/request.js';
import { nowMs } from '../src/engine/clock.js';

const servers: Server[] = [];
const pools: Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  for (const s of servers) s.close();
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<Pool> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  // One connection: a second request waits for the first to end.
  const pool = new Pool(`http://127.0.0.1:${(s.address() as AddressInfo).port}`, { connections: 1, pipelining: 1 });
  pools.push(pool);
  return pool;
}

const opts = (over: Partial<AttemptOptions> = {}): AttemptOptions => ({
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  stream: true,
  timeoutMs: 10_000,
  firstByteTimeoutMs: 0,
  collectText: true,
  ...over,
});

const sse = (res: import('node:http').ServerResponse, text: string): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(`data: {"choices":[{"delta":{"content":"${text}"}}]}\n\ndata: [DONE]\n\n`);
};

describe('request.ts on the handler interface', () => {
  it('t0 is the write, after the wait for the only connection (not the dispatch)', async () => {
    const HOLD_MS = 400;
    const pool = await serve((req, res) => {
      req.resume();
      req.on('end', () => (req.headers['x-slow'] ? setTimeout(() => sse(res, 'slow'), HOLD_MS) : sse(res, 'fast')));
    });
    const inflight: AbortSet = new Set();
    const dispatched = nowMs();
    const [slow, fast] = await Promise.all([
      attempt(pool, opts({ headers: { 'content-type': 'application/json', 'x-slow': '1' } }), inflight),
      attempt(pool, opts(), inflight),
    ]);
    expect(slow.ok && fast.ok).toBe(true);
    expect(fast.parser.text?.join('')).toBe('fast');
    // The second request could only be written once the first ended (>= 400 ms
    // after dispatch): its t0 is at or after that end, so its TTFT excludes the
    // wait. Stamped at dispatch, t0 would be ~0 ms after `dispatched`.
    expect(fast.t0).toBeGreaterThanOrEqual(slow.end - 50);
    expect(fast.t0 - dispatched).toBeGreaterThan(HOLD_MS - 50);
    expect(fast.end - fast.t0).toBeLessThan(HOLD_MS);
    expect(inflight.size).toBe(0);
  });

  it('reads content-type and Retry-After from the parsed headers', async () => {
    const pool = await serve((req, res) => {
      req.resume();
      if (req.headers['x-busy']) {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end('{"error":"busy"}');
      } else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html>hello</html>');
      }
    });
    const busy = await attempt(pool, opts({ headers: { 'x-busy': '1' } }), new Set());
    expect(busy).toMatchObject({ ok: false, status: 429, code: 'E_HTTP_429', retryAfter: '7' });
    expect(busy.message).toBe('HTTP 429: {"error":"busy"}');
    const html = await attempt(pool, opts(), new Set());
    expect(html).toMatchObject({ ok: false, code: 'E_BAD_SSE' });
    expect(html.message).toBe('not an SSE stream (content-type text/html; charset=utf-8): <html>hello</html>');
  });

  it('an abort while the request waits for its connection cancels it when it is written: E_ABORTED', async () => {
    const pool = await serve((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => sse(res, 'x'), 300));
    });
    const inflight: AbortSet = new Set();
    const first = attempt(pool, opts(), inflight);
    const second = attempt(pool, opts(), inflight);
    // Both registered; abort both: the first mid-request, the second before its write.
    expect(inflight.size).toBe(2);
    for (const a of [...inflight]) a('E_ABORTED');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ ok: false, code: 'E_ABORTED', message: 'cancelled when the run was stopped' });
    expect(b).toMatchObject({ ok: false, code: 'E_ABORTED' });
    expect(inflight.size).toBe(0);
  });
});
