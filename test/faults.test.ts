/**
 * Every simulator fault through the real engine (TaskRunner + worker threads
 * + undici): each request ends with the typed code the fault calls for, is
 * retried as `retry` says and counted once, and POST = FINISH + FAIL.
 * Needs dist/ (the workers run compiled code): `npx tsc -p .` first.
 */
import { isTokenKind } from '../src/engine/sse.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type SimOptions, type SimServer } from '../src/sim/index.js';
import { TaskRunner, type TaskPlan } from '../src/engine/task-runner.js';
import { chatPlan, runPlan } from './engine-helpers.js';
import type { RequestRecord } from '../src/engine/types.js';
import { SseTokenParser } from '../src/engine/sse.js';
import { TaskJob } from '../src/run/task-job.js';
import { openTaskLog } from '../src/output/task-log.js';
import type { TaskConfig } from '../src/config/types.js';

const TOKENS = 12;

function plan(origin: string, n: number, over: Partial<TaskPlan> = {}): TaskPlan {
  return chatPlan(origin, n, TOKENS, () => 'one two three', { key: 'sim/faults', dataset: 'faults', ...over });
}

async function run(p: TaskPlan) {
  const { records, result, counts } = await runPlan(p);
  // Nothing is lost or counted twice, whatever the fault.
  expect(records.filter((r) => !r.warmup)).toHaveLength(p.units.length);
  expect(counts.post).toBe(p.units.length);
  expect(counts.post).toBe(counts.finish + counts.fail);
  return { records, result, counts };
}

const sims: SimServer[] = [];
async function sim(opts: SimOptions): Promise<SimServer> {
  const s = await startSimulator({ itlMs: 1, ...opts });
  sims.push(s);
  return s;
}
const tmp: string[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

const posts = (s: SimServer) => s.requestLog().filter((e) => e.path === '/v1/chat/completions').length;
const common = (r: { common: Array<{ name: string; stage: string; value: number }> }, name: string) =>
  r.common.find((c) => c.name === name && c.stage === 'total')!.value;

describe('server faults end as typed failures, retried and counted once', () => {
  it.each([429, 500, 503])('fail-rate 1 with status %i: E_HTTP_<status>, attempts = retry + 1', async (status) => {
    const s = await sim({ failRate: 1, failStatus: status });
    const { records, result, counts } = await run(plan(s.url, 10, { retry: 2 }));
    expect(records.every((r) => !r.ok && r.code === `E_HTTP_${status}` && r.attempts === 3)).toBe(true);
    expect(records[0]!.message).toMatch(new RegExp(`HTTP ${status}: .*simulated failure`));
    expect(counts.fail).toBe(10);
    // Every attempt reached the server; the client counted each request once.
    expect(posts(s)).toBe(30);
    expect(result.failures).toEqual([expect.objectContaining({ code: `E_HTTP_${status}`, count: 10 })]);
  });

  it('a connection cut mid-stream is E_STREAM_RESET', async () => {
    const s = await sim({ resetRate: 1 });
    const { records } = await run(plan(s.url, 10, { retry: 1 }));
    expect(records.every((r) => !r.ok && r.code === 'E_STREAM_RESET' && r.attempts === 2)).toBe(true);
    expect(posts(s)).toBe(20);
  });

  it('a malformed data: line is E_BAD_SSE', async () => {
    const s = await sim({ garbageRate: 1 });
    const { records } = await run(plan(s.url, 10));
    expect(records.every((r) => !r.ok && r.code === 'E_BAD_SSE' && r.attempts === 1)).toBe(true);
  });

  it('a stall longer than the request timeout is E_TIMEOUT', async () => {
    const s = await sim({ stallMs: 3000 });
    const { records } = await run(plan(s.url, 4, { timeoutMs: 200 }));
    expect(records.every((r) => !r.ok && r.code === 'E_TIMEOUT')).toBe(true);
    // Tokens before the stall arrived; the record still fails as a whole. The
    // 200 ms clock starts before the bytes are written (t0), so on a loaded
    // machine end - t0 can be well under 200 ms: only its order is asserted.
    expect(records.every((r) => r.end > r.t0 && r.message!.includes('0.2 s timeout'))).toBe(true);
  });

  it('no token before the first-byte timeout is E_FIRST_BYTE_TIMEOUT', async () => {
    const s = await sim({ ttftMs: 3000 });
    const { records } = await run(plan(s.url, 4, { firstByteTimeoutMs: 150, timeoutMs: 10_000 }));
    expect(records.every((r) => !r.ok && r.code === 'E_FIRST_BYTE_TIMEOUT' && Number.isNaN(r.ttft))).toBe(true);
  });

  it('a first-byte timeout does not fire once tokens flow (stall after the first token)', async () => {
    // Generous margins: the first token comes at once, the stall outlasts the timeout.
    const s = await sim({ stallMs: 1500 });
    const { records } = await run(plan(s.url, 4, { firstByteTimeoutMs: 1000 }));
    expect(records.every((r) => r.ok && r.outTok === TOKENS)).toBe(true);
  });

  it('one byte per write still parses every token exactly', async () => {
    const s = await sim({ drip: true, itlMs: 0 });
    const { records, result } = await run(plan(s.url, 6));
    // Events: the role chunk, TOKENS text chunks, the usage chunk.
    expect(records.every((r) => r.ok && r.outTok === TOKENS && r.usage && r.gapsUs.length === TOKENS + 1)).toBe(true);
    expect(records.every((r) => r.kinds !== null && r.kinds.filter((k) => isTokenKind(k)).length === TOKENS)).toBe(
      true,
    );
    expect(common(result, 'Total Generated Tokens')).toBe(6 * TOKENS);
  });

  it('a stream without [DONE] that carried tokens succeeds, flagged noDone (as every reference counts it)', async () => {
    const s = await sim({ noDone: true });
    const { records, result } = await run(plan(s.url, 6));
    expect(records.every((r) => r.ok && r.noDone === true && r.outTok === TOKENS)).toBe(true);
    expect(common(result, 'Failed Requests')).toBe(0);
    expect(common(result, 'Ended Without [DONE]')).toBe(6);
  });

  it('a 1 MB event is a success with the right token count', async () => {
    const s = await sim({ hugeChunkBytes: 1 << 20 });
    const { records } = await run(plan(s.url, 4));
    expect(records.every((r) => r.ok && r.outTok === TOKENS)).toBe(true);
    const served = s.requestLog().filter((e) => e.path === '/v1/chat/completions');
    expect(served.length === 4 && served.every((e) => e.tokens === TOKENS && !e.aborted)).toBe(true);
  });

  it('a closed port is E_CONNECT, retried', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const { records, counts } = await run(plan(`http://127.0.0.1:${port}`, 5, { retry: 1 }));
    expect(records.every((r) => !r.ok && r.code === 'E_CONNECT' && r.attempts === 2)).toBe(true);
    expect(counts.recv).toBe(0);
  });
});

describe('the SSE parser with one large event in tiny reads', () => {
  it('parses a 1 MB event fed one byte per read (linear, not quadratic)', () => {
    const big = 'data: ' + JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(1 << 20) } }] }) + '\r\n\r\n';
    const buf = Buffer.from(
      'data: {"choices":[{"delta":{"content":"a"}}]}\n\n' +
        big +
        'data: {"choices":[{"delta":{"content":"é"}}]}\n\ndata: [DONE]\n\n',
    );
    const p = new SseTokenParser();
    for (let i = 0; i < buf.length; i++) p.push(buf.subarray(i, i + 1), i);
    p.end(buf.length);
    expect(p.error).toBeNull();
    expect(p.done).toBe(true);
    expect(p.lens).toEqual([1, 1 << 20, 1]);
  });
});

describe('servers that never answer, and a stop', () => {
  /** Accepts connections and reads requests, then answers a POST with `reply` (or never). */
  async function rawServer(reply: (sock: Socket) => void) {
    const socks = new Set<Socket>();
    const srv = createServer((sock) => {
      socks.add(sock);
      sock.on('error', () => undefined);
      // The engine's pre-connection GETs get a quick answer (a server that
      // hangs on them too only delays the start by their 5 s timeout).
      sock.on('data', (d: Buffer) => {
        if (d.toString('latin1').startsWith('GET ')) sock.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}');
        else reply(sock);
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const close = () => {
      for (const so of socks) so.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    };
    return { origin: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, close };
  }

  it('no response head at all: E_FIRST_BYTE_TIMEOUT, or E_TIMEOUT without one', async () => {
    const srv = await rawServer(() => undefined);
    try {
      const a = await run(plan(srv.origin, 3, { firstByteTimeoutMs: 100, timeoutMs: 5000 }));
      expect(a.records.every((r) => !r.ok && r.code === 'E_FIRST_BYTE_TIMEOUT')).toBe(true);
      expect(a.counts.recv).toBe(0);
      // A timeout already waited its full length: not retried (issue 17), even with retry 1.
      const b = await run(plan(srv.origin, 3, { timeoutMs: 150, retry: 1 }));
      expect(b.records.every((r) => !r.ok && r.code === 'E_TIMEOUT' && r.attempts === 1)).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it('a connection closed before any answer is a typed failure, not a crash', async () => {
    const srv = await rawServer((sock) => sock.destroy());
    try {
      const { records } = await run(plan(srv.origin, 4, { retry: 1 }));
      expect(records.every((r) => !r.ok && r.code === 'E_CONNECT' && r.attempts === 2)).toBe(true);
      expect(records[0]!.message).toMatch(/connection closed before a response/);
    } finally {
      await srv.close();
    }
  });

  it('a 200 answer that is not an SSE stream is E_BAD_SSE quoting it; an empty one is E_EMPTY', async () => {
    const json = '{"error":"model not loaded"}';
    const srv = await rawServer((sock) =>
      sock.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n${json}`),
    );
    const empty = await rawServer((sock) =>
      sock.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 0\r\n\r\n'),
    );
    try {
      const a = await run(plan(srv.origin, 3));
      expect(a.records.every((r) => !r.ok && r.code === 'E_BAD_SSE')).toBe(true);
      expect(a.records[0]!.message).toBe(`not an SSE stream (content-type application/json): ${json}`);
      const b = await run(plan(empty.origin, 3));
      expect(b.records.every((r) => !r.ok && r.code === 'E_EMPTY' && r.message === 'empty response body')).toBe(true);
    } finally {
      await srv.close();
      await empty.close();
    }
  });

  it('a stop cancels requests still in flight after the grace: E_ABORTED, counted once', async () => {
    const s = await sim({ ttftMs: 20_000 });
    const records: RequestRecord[] = [];
    const p = plan(s.url, 20, { maxConcurrency: 4 });
    const runner = new TaskRunner(p, { onRecords: (rs) => records.push(...rs), log: () => undefined });
    const done = runner.run();
    await vi.waitFor(() => expect(runner.inflight).toBe(4), { timeout: 10_000 });
    runner.stop(50);
    const outcome = await done;
    expect(outcome.interrupted).toBe(true);
    expect(records).toHaveLength(4);
    expect(records.every((r) => !r.ok && r.code === 'E_ABORTED' && r.attempts === 1)).toBe(true);
    expect(runner.counts).toMatchObject({ post: 4, fail: 4, finish: 0 });
  });
});

describe('a mixed fault rate', () => {
  it('adds up, tables every failure code and logs every failure', async () => {
    const s = await sim({ failRate: 0.3, failStatus: 503, seed: 7 });
    const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-faults-'));
    tmp.push(dir);
    const p = plan(s.url, 50);
    const log = openTaskLog(dir, p.abbr, p.dataset);
    const job = new TaskJob(
      dir,
      {} as TaskConfig,
      p,
      {
        key: p.key,
        abbr: p.abbr,
        dataset: p.dataset,
        model: 'sim-model',
        maxConcurrency: 8,
        requestRate: 0,
        pressure: false,
      },
      log,
      { stats: ['Average'], stable: false },
    );
    const result = await job.run();
    log.close();
    const { post, finish, fail } = job.runner.counts;
    expect(post).toBe(50);
    expect(post).toBe(finish + fail);
    expect(fail).toBeGreaterThan(0);
    expect(finish).toBeGreaterThan(0);
    expect(posts(s)).toBe(50);
    expect(common(result, 'Failed Requests')).toBe(fail);
    expect(common(result, 'Success Requests')).toBe(finish);
    expect(result.failures).toEqual([
      { code: 'E_HTTP_503', count: fail, example: expect.stringMatching(/^HTTP 503: .*simulated/) },
    ]);
    // Metrics come from successful requests only: every one has TOKENS outputs.
    expect(common(result, 'Total Generated Tokens')).toBe(finish * TOKENS);
    const details = readFileSync(path.join(dir, 'performances', 'sim', 'faults_details.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(details).toHaveLength(50);
    const logText = readFileSync(log.absPath, 'utf8');
    const failedLines = logText
      .split('\n')
      .filter((l) => /request \d+ failed after 1 attempt\(s\): E_HTTP_503/.test(l));
    expect(failedLines).toHaveLength(fail);
  });
});
