/**
 * Issue 17, timeouts: durations a timer cannot hold are refused (exit 2);
 * built-in defaults cannot hang a run; a server that accepts and never
 * answers, or stalls mid-answer, ends the run by itself with a timeout code
 * per request. Built CLI against small servers written here (needs dist/).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { resolveTasks } from '../src/config/registry.js';
import { cli, startServer, walkFiles } from './hostile-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-timeout17-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const TASK = ['--models', 'vllm_api_stream_chat', '--datasets', 'synthetic_gen'];

describe('durations beyond what a timer holds (2^31-1 ms = 2,147,483 s)', () => {
  it.each([
    ['--timeout', '2200000'],
    ['--first-byte-timeout', '1e10'],
    ['--idle-timeout', '3000000'],
    ['--pressure-time', '1e308'],
  ])('%s %s is one line and exit 2', async (flag, value) => {
    const r = await cli([...TASK, '--url', 'http://127.0.0.1:9', flag, value, '-w', path.join(tmp, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `aisbench-tui: ${flag} must be a number of seconds in ${flag === '--pressure-time' ? '(0' : '[0'}, 2147483] (the longest a timer holds, about 24.8 days) (got "${value}")`,
    ]);
  });

  it('the largest value is accepted; a config file with a larger one is refused', async () => {
    const ok = parseCli([...TASK, '--timeout', '2147483', '--idle-timeout', '0']);
    expect(ok.kind === 'perf' && ok.opts.timeout).toBe(2147483);
    const cfg = path.join(tmp, 'cfg');
    mkdirSync(path.join(cfg, 'models'), { recursive: true });
    writeFileSync(path.join(cfg, 'models', 'slow.yaml'), 'first_byte_timeout: 1.0e+10\n');
    const r = await cli(['--config-dir', cfg, '--models', 'slow', '--datasets', 'synthetic_gen']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^aisbench-tui: config .*slow\.yaml: field 'first_byte_timeout': expected a number of seconds in 0\.\.2147483 \(or set it with --first-byte-timeout on the command line\)\n$/,
    );
  });

  it('defaults that cannot hang: first token 600 s, idle 300 s', async () => {
    const cmd = parseCli(TASK);
    if (cmd.kind !== 'perf') throw new Error('perf expected');
    const [t] = await resolveTasks(cmd.opts);
    expect(t!.model).toMatchObject({ first_byte_timeout: 600, idle_timeout: 300, timeout: 0 });
  });
});

/** Details lines of the only run under `work`. */
function details(work: string): Array<{ ok: boolean; code?: string; att: number }> {
  const f = walkFiles(work).find((p) => p.endsWith('_details.jsonl'))!;
  return readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('servers that hang', () => {
  it('accepts the connection and never answers: each request ends E_FIRST_BYTE_TIMEOUT, exit 1', async () => {
    const sockets = new Set<Socket>();
    const srv = createNetServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined); // read the request, never write
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      const work = path.join(tmp, 'silent');
      // A model name, so no /v1/models question (it would time out first, after 10 s, with its own error).
      const cfg = path.join(tmp, 'cfg-silent');
      mkdirSync(path.join(cfg, 'models'), { recursive: true });
      writeFileSync(path.join(cfg, 'models', 'silent.yaml'), 'model: m\n');
      const t0 = Date.now();
      const r = await cli([
        '--config-dir',
        cfg,
        '--models',
        'silent',
        '--datasets',
        'synthetic_gen',
        '--url',
        url,
        '--num-prompts',
        '4',
        '--max-concurrency',
        '4',
        '--num-warmups',
        '0',
        '--retry',
        '0',
        '--first-byte-timeout',
        '1',
        '--no-tui',
        '-w',
        work,
      ]);
      // 1 s timeout, all four at once: well under the 60 s the helper allows.
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^aisbench-tui: every request failed \(E_FIRST_BYTE_TIMEOUT x4/);
      const d = details(work);
      expect(d).toHaveLength(4);
      expect(d.every((x) => !x.ok && x.code === 'E_FIRST_BYTE_TIMEOUT')).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  }, 60_000);

  it('stalls after the first token: E_IDLE_TIMEOUT, exit 1', async () => {
    const srv = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'hi' } }] })}\n\n`);
      // ... and nothing more, ever.
    });
    try {
      const work = path.join(tmp, 'stall');
      const r = await cli([
        ...TASK,
        '--url',
        srv.url,
        '--num-prompts',
        '3',
        '--max-concurrency',
        '3',
        '--num-warmups',
        '0',
        '--retry',
        '0',
        '--idle-timeout',
        '1',
        '--no-tui',
        '-w',
        work,
      ]);
      expect(r.code, r.stderr).toBe(1);
      const d = details(work);
      expect(d).toHaveLength(3);
      expect(d.every((x) => !x.ok && x.code === 'E_IDLE_TIMEOUT')).toBe(true);
      const log = readFileSync(
        walkFiles(work).find((p) => p.endsWith('.out'))!,
        'utf8',
      );
      expect(log).toMatch(/E_IDLE_TIMEOUT: no data for 1 s \(idle timeout\)/);
    } finally {
      await srv.close();
    }
  }, 60_000);
});
