/**
 * Issue 17, connections: one connection per concurrency slot, the open-file
 * pre-check before any request, and running out of descriptors reported as
 * the client's fault (E_FD_LIMIT) with what to raise. Built CLI and engine
 * (needs dist/) against servers written here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyError } from '../src/engine/request.js';
import { localFailureMessage } from '../src/run/local-failures.js';
import { BIN, sseAnswer, startServer } from './hostile-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-conn17-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run a shell command line (for `ulimit -n`), collecting its output. */
function sh(cmd: string, timeoutMs = 90_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('bash', ['-c', cmd], { env: { ...process.env, NO_COLOR: '1' }, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A server answering every POST after `delayMs` with a 2-token stream; counts TCP connections. */
async function countingServer(delayMs: number) {
  let requests = 0;
  const postSockets = new Set<unknown>();
  const srv = await startServer((req, res) => {
    requests++;
    postSockets.add(req.socket);
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseAnswer('x', 2));
    }, delayMs);
  });
  let connections = 0;
  let open = 0;
  let maxOpen = 0;
  srv.server.on('connection', (s) => {
    connections++;
    maxOpen = Math.max(maxOpen, ++open);
    s.on('close', () => open--);
  });
  srv.server.keepAliveTimeout = 60_000;
  return { srv, stats: () => ({ connections, maxOpen, requests, postConnections: postSockets.size }) };
}

describe('connections', () => {
  it('--max-concurrency 1000 --workers 1: the server sees at most 1,000 connections', async () => {
    const { srv, stats } = await countingServer(30);
    try {
      const work = path.join(tmp, 'w1000');
      // Three waves of 1,000: an unbounded Pool opened ~1,800 connections here, as a new
      // request could find the socket of the one that just finished not yet free.
      const data = path.join(tmp, 'p3000.jsonl');
      writeFileSync(
        data,
        Array.from({ length: 3000 }, (_, i) => JSON.stringify({ prompt: `hello ${i}`, max_out_len: 2 }) + '\n').join(
          '',
        ),
      );
      const r = await sh(
        `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --models vllm_api_stream_chat --datasets custom ` +
          `--dataset-path ${JSON.stringify(data)} --url ${srv.url} --max-concurrency 1000 --workers 1 --retry 0 --no-tui -w ${JSON.stringify(work)}`,
      );
      expect(r.code, r.stderr).toBe(0);
      const s = stats();
      // 3,000 measured requests, 1 warmup.
      expect(s.requests).toBe(3001);
      // Connections that carried a request: one per slot. Besides them only the main
      // thread's GETs (the model discovery, the server-metrics scrape) have their own.
      expect(s.postConnections).toBeLessThanOrEqual(1000);
      expect(s.connections - s.postConnections).toBeLessThanOrEqual(2);
      // ... and the concurrency was really there (a loose lower bound for a loaded machine).
      expect(s.maxOpen).toBeGreaterThan(500);
    } finally {
      await srv.close();
    }
  }, 120_000);

  it('--max-concurrency above what the open-file limit allows: one line naming the limit, exit 2, no request sent', async () => {
    const { srv, stats } = await countingServer(0);
    try {
      const work = path.join(tmp, 'wlimit');
      const r = await sh(
        `ulimit -n 512 && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --models vllm_api_stream_chat ` +
          `--datasets synthetic_gen --url ${srv.url} --max-concurrency 1000 --no-tui -w ${JSON.stringify(work)}`,
      );
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      // Node raises its soft limit to the hard one at start, so with both at 512 the hard limit is what to raise.
      expect(lines[0]).toMatch(
        /^aisbench-tui: --max-concurrency needs about \d+ open files \(one socket per slot\) but the open-file limit \(ulimit -n\) is 512: raise the hard limit \(now 512, .*\) and run 'ulimit -n \d+', or lower --max-concurrency$/,
      );
      expect(stats().connections).toBe(0);
    } finally {
      await srv.close();
    }
  }, 60_000);
});

describe("out of descriptors is the client's fault", () => {
  it('EMFILE / EADDRNOTAVAIL are E_FD_LIMIT / E_PORT_LIMIT with what to raise', () => {
    const emfile = Object.assign(new Error('connect EMFILE 127.0.0.1:8000 - Local (undefined:undefined)'), {
      code: 'EMFILE',
    });
    expect(classifyError(emfile, false)).toEqual({
      code: 'E_FD_LIMIT',
      message: "too many open files (EMFILE): raise 'ulimit -n' or lower --max-concurrency",
    });
    const port = Object.assign(new Error('connect EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    expect(classifyError(port, false).code).toBe('E_PORT_LIMIT');
    expect(classifyError(port, false).message).toMatch(/ip_local_port_range/);
  });

  it('a run with any local failure has a message (and so a non-zero exit); server failures alone do not', () => {
    expect(
      localFailureMessage([{ key: 'a/b', failures: [{ code: 'E_HTTP_503', count: 3, example: 'busy' }] }]),
    ).toBeUndefined();
    expect(
      localFailureMessage([
        {
          key: 'a/b',
          failures: [
            { code: 'E_HTTP_503', count: 3, example: 'busy' },
            { code: 'E_FD_LIMIT', count: 2, example: 'too many open files' },
          ],
        },
      ]),
    ).toBe("a/b: 2 request(s) failed for a local reason, not the server's (E_FD_LIMIT: too many open files)");
  });

  it('the engine under a low descriptor limit reports E_FD_LIMIT, not E_UNKNOWN', async () => {
    const { srv } = await countingServer(200);
    try {
      const script = path.join(tmp, 'emfile.mjs');
      writeFileSync(
        script,
        `
        const { TaskRunner } = await import(${JSON.stringify(path.join(root, 'dist/engine/task-runner.js'))});
        const codes = {};
        const units = Array.from({ length: 300 }, (_, id) => [{ id, messages: [{ role: 'user', content: 'hi' }], maxOutLen: 2 }]);
        const runner = new TaskRunner({
          key: 'k/d', abbr: 'k', dataset: 'd', origin: ${JSON.stringify(srv.url)}, path: '/v1/chat/completions', api: 'chat',
          headers: { 'content-type': 'application/json' }, baseBody: { model: 'm', stream: true }, units, schedule: null,
          maxConcurrency: 300, retry: 0, timeoutMs: 20000, firstByteTimeoutMs: 0, warmups: 0, workers: 1, logPath: 'x',
        }, { onRecords(rs) { for (const r of rs) { const c = r.ok ? 'ok' : r.code; codes[c] = (codes[c] ?? 0) + 1; if (!r.ok) codes.msg = r.message; } }, log() {} });
        await runner.run();
        console.log(JSON.stringify(codes));
      `,
      );
      // 128 descriptors: node and its thread take ~30, so some of the 300 sockets cannot be opened.
      const r = await sh(`ulimit -n 128 && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`);
      expect(r.code, r.stderr).toBe(0);
      const codes = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(codes.E_FD_LIMIT).toBeGreaterThan(0);
      expect(codes.E_UNKNOWN).toBeUndefined();
      expect((codes.ok ?? 0) + codes.E_FD_LIMIT + (codes.E_CONNECT ?? 0)).toBe(300);
      expect(codes.msg).toMatch(/raise 'ulimit -n'/);
    } finally {
      await srv.close();
    }
  }, 60_000);
});
