/**
 * Issue 17, retries: only failures a second try can cure are retried, with
 * exponential backoff and jitter, Retry-After honoured, and every attempt's
 * timing kept in the details. Units of the policy, then the built CLI
 * against a small server written here (needs dist/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { isRetriable, parseRetryAfter, retryDelayMs } from '../src/engine/retry.js';
import { cli, sseAnswer, startServer, walkFiles } from './hostile-helpers.js';

describe('retry policy', () => {
  it('retries connect errors, cut streams, 408, 429 and 5xx only', () => {
    for (const c of [
      'E_CONNECT',
      'E_CONNECT_TIMEOUT',
      'E_STREAM_RESET',
      'E_HTTP_408',
      'E_HTTP_429',
      'E_HTTP_500',
      'E_HTTP_503',
      'E_HTTP_599',
    ] as const) {
      expect(isRetriable(c), c).toBe(true);
    }
    for (const c of [
      'E_HTTP_400',
      'E_HTTP_401',
      'E_HTTP_403',
      'E_HTTP_404',
      'E_HTTP_302',
      'E_HTTP_304',
      'E_BAD_SSE',
      'E_EMPTY',
      'E_TIMEOUT',
      'E_FIRST_BYTE_TIMEOUT',
      'E_IDLE_TIMEOUT',
      'E_ABORTED',
      'E_FD_LIMIT',
      'E_PORT_LIMIT',
    ] as const) {
      expect(isRetriable(c), c).toBe(false);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter(' 120 ')).toBe(120_000);
    // 2026-11-30 12:00:05 GMT is 5 s after 12:00:00 GMT.
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:05 GMT', Date.UTC(2026, 10, 30, 12, 0, 0))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('backs off exponentially with equal jitter, at least Retry-After (capped at 60 s)', () => {
    const lo = () => 0;
    const hi = () => 0.999999;
    // Failed once: d = 500 ms → [250, 500); twice: d = 1,000 → [500, 1,000); from the 5th: d = 8,000 → [4,000, 8,000).
    expect(retryDelayMs(1, undefined, lo)).toBe(250);
    expect(retryDelayMs(1, undefined, hi)).toBeCloseTo(500, 0);
    expect(retryDelayMs(2, undefined, lo)).toBe(500);
    expect(retryDelayMs(3, undefined, lo)).toBe(1000);
    expect(retryDelayMs(10, undefined, lo)).toBe(4000);
    expect(retryDelayMs(10, undefined, hi)).toBeCloseTo(8000, 0);
    expect(retryDelayMs(1, 1000, lo)).toBe(1000);
    expect(retryDelayMs(1, 3_600_000, lo)).toBe(60_000);
  });
});

describe('a server that asks to come back later', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-retry17-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const TASK = ['--models', 'vllm_api_stream_chat', '--datasets', 'synthetic_gen', '--num-warmups', '0', '--no-tui'];

  it('503 with Retry-After: 1: the second attempt comes no sooner than 1 s after the first; both attempts in the details', async () => {
    const seen = new Map<string, number[]>();
    const srv = await startServer((_req, res, body) => {
      const times = seen.get(body) ?? [];
      times.push(performance.now());
      seen.set(body, times);
      if (times.length === 1) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' });
        res.end('busy');
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sseAnswer('ok', 2));
      }
    });
    try {
      const work = path.join(tmp, 'w503');
      const r = await cli([
        ...TASK,
        '--url',
        srv.url,
        '--num-prompts',
        '3',
        '--max-concurrency',
        '3',
        '--retry',
        '2',
        '-w',
        work,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(seen.size).toBe(3);
      for (const times of seen.values()) {
        expect(times).toHaveLength(2);
        expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
      }
      const f = walkFiles(work).find((p) => p.endsWith('_details.jsonl'))!;
      const d = readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(d).toHaveLength(3);
      for (const x of d) {
        expect(x).toMatchObject({ ok: true, att: 2 });
        expect(x.tries).toHaveLength(1);
        const [t0, end, code] = x.tries[0];
        expect(code).toBe('E_HTTP_503');
        expect(end).toBeGreaterThanOrEqual(t0);
        // The counted attempt was sent at least 1 s after the failed one ended (ms since run start).
        expect(x.t0 - end).toBeGreaterThanOrEqual(1000);
      }
    } finally {
      await srv.close();
    }
  }, 60_000);

  it.each([
    [400, 'E_HTTP_400'],
    [401, 'E_HTTP_401'],
    [302, 'E_HTTP_302'],
  ])(
    '%i is not retried (one attempt each, even with --retry 2)',
    async (status, code) => {
      let n = 0;
      const srv = await startServer((_req, res) => {
        n++;
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : { 'content-type': 'text/plain' });
        res.end('no');
      });
      try {
        const work = path.join(tmp, `w${status}`);
        const r = await cli([
          ...TASK,
          '--url',
          srv.url,
          '--num-prompts',
          '4',
          '--max-concurrency',
          '2',
          '--retry',
          '2',
          '-w',
          work,
        ]);
        expect(r.code).toBe(1);
        expect(n).toBe(4);
        expect(r.stderr).toContain(`every request failed (${code} x4`);
      } finally {
        await srv.close();
      }
    },
    60_000,
  );
});
