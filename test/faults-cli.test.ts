/**
 * The built CLI against a simulator that fails every request: exit code 1,
 * one clear line on stderr, and the run folder still holds its CSV, JSON,
 * details and log. Needs dist/ (`npx tsc -p .`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

describe('every request fails', () => {
  let sim: SimServer;
  let work: string;
  beforeAll(async () => {
    sim = await startSimulator({ failRate: 1, failStatus: 503 });
    work = mkdtempSync(path.join(tmpdir(), 'aisbench-allfail-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('exits 1 with one line on stderr and still writes the run folder', async () => {
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      sim.url,
      '--num-prompts',
      '12',
      '--num-warmups',
      '0',
      '--retry',
      '1',
      '--no-tui',
      '-w',
      work,
    ]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aisbench-tui: every request failed \(E_HTTP_503 x12: HTTP 503: .*simulated failure/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The tables, with the failure table, are printed all the same.
    expect(r.stdout).toMatch(/Failed Requests\s*│\s*total\s*│\s*12/);
    expect(r.stdout).toMatch(/E_HTTP_503\s*│\s*12/);
    const [run] = readdirSync(work);
    const perf = path.join(work, run!, 'performances', 'vllm-api-stream-chat');
    for (const f of ['synthetic.csv', 'synthetic.json', 'synthetic_details.jsonl'])
      expect(existsSync(path.join(perf, f))).toBe(true);
    const details = readFileSync(path.join(perf, 'synthetic_details.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(details).toHaveLength(12);
    expect(details.every((d) => d.ok === false && d.code === 'E_HTTP_503' && d.att === 2)).toBe(true);
    const log = readFileSync(
      path.join(work, run!, 'logs', 'performance', 'vllm-api-stream-chat', 'synthetic.out'),
      'utf8',
    );
    expect(log.match(/failed after 2 attempt\(s\): E_HTTP_503/g)).toHaveLength(12);
    // Each request counted once: 12 requests, 24 attempts at the server.
    expect(sim.requestLog().filter((e) => e.path === '/v1/chat/completions')).toHaveLength(24);
  });

  it('a failing warmup stops the task with one line and exit 1', async () => {
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      sim.url,
      '--num-prompts',
      '5',
      '--retry',
      '0',
      '--no-tui',
      '-w',
      work,
    ]);
    expect(r.code).toBe(1);
    // One warm-up failing is retried: the task stops after 3 failed warm-ups.
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^aisbench-tui: task .*: all 3 warmup request\(s\) failed \(E_HTTP_503/),
    ]);
  });
});

describe('a server that echoes the credentials in its error answers', () => {
  let srv: Server;
  let url = '';
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'aisbench-echo-'));
    srv = createServer((req, res) => {
      if (req.method === 'GET') {
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'echo-model' }] }));
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `Invalid key: ${req.headers.authorization ?? ''}` } }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
    rmSync(work, { recursive: true, force: true });
  });

  it('never writes or prints the key: failure messages are masked at the source', async () => {
    const key = 'sk-ECHOED-SECRET-4711';
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      url,
      '--api-key',
      key,
      '--num-prompts',
      '4',
      '--num-warmups',
      '0',
      '--retry',
      '0',
      '--no-tui',
      '-w',
      work,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_HTTP_401 x4: HTTP 401: .*Invalid key: \*\*\*/);
    expect(r.stdout + r.stderr).not.toContain('ECHOED-SECRET');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const f of readdirSync(d)) {
        const p = path.join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(work);
    expect(files.some((f) => f.endsWith('_details.jsonl'))).toBe(true);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain('ECHOED-SECRET');
  });
});
