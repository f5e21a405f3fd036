/**
 * Issue 17, files: replacing writes go through a temp file and a rename, a
 * read-only or full disk is one line naming the file (exit 1), a run that
 * failed before sending says why in its log and --reuse passes over it, huge
 * synthetic datasets need --num-prompts, and a config file's name is checked
 * like an abbr. Built CLI (needs dist/).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceFileSync } from '../src/output/safe-write.js';
import { writeError } from '../src/core/write-error.js';
import { BIN, cli, walkFiles } from './hostile-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-files17-'));
afterAll(() => {
  for (const f of walkFiles(tmp)) chmodSync(path.dirname(f), 0o755);
  rmSync(tmp, { recursive: true, force: true });
});

/** The CLI as an unprivileged user when this runs as root (root writes through any permission bits). */
function cliAsUser(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? 'setpriv' : process.execPath;
  const argv = asRoot
    ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args]
    : [BIN, ...args];
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('writes that replace a file', () => {
  it('go through a temp file and a rename; a full disk (/dev/full) is one line naming the file', () => {
    const f = path.join(tmp, 'x.json');
    replaceFileSync(f, 'one');
    replaceFileSync(f, 'two');
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(readdirSync(tmp).filter((n) => n.startsWith('x.json'))).toEqual(['x.json']);
    let err: unknown;
    try {
      writeFileSync('/dev/full', 'data');
    } catch (e) {
      err = e;
    }
    expect(writeError('/dev/full', err).message).toBe('cannot write /dev/full: no space left on device (ENOSPC)');
    expect(writeError('/dev/full', err).exitCode).toBe(1);
  });

  it('perf_viz on a read-only run folder: one line naming the file, exit 1, the old CSV intact', async () => {
    const work = path.join(tmp, 'ro');
    const made = await cli(['--demo', '--num-prompts', '12', '--no-tui', '-w', work]);
    expect(made.code, made.stderr).toBe(0);
    const [run] = readdirSync(work);
    const perf = path.join(work, run!, 'performances');
    const csv = walkFiles(perf).find((f) => f.endsWith('.csv'))!;
    const before = readFileSync(csv, 'utf8');
    expect(before.length).toBeGreaterThan(0);
    for (const f of walkFiles(perf)) chmodSync(f, 0o444);
    for (const d of [perf, ...readdirSync(perf).map((n) => path.join(perf, n))]) chmodSync(d, 0o555);
    chmodSync(path.join(work, run!), 0o755);
    chmodSync(work, 0o755);
    chmodSync(tmp, 0o755);
    const r = await cliAsUser(['-m', 'perf_viz', '--reuse', '-w', work, '--no-tui']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aisbench-tui: cannot write \S+\.csv: permission denied \(EACCES\)$/);
    expect(readFileSync(csv, 'utf8')).toBe(before);
    expect(statSync(csv).size).toBe(before.length);
  }, 90_000);
});

describe('a run that fails before sending', () => {
  it('writes its error into the task log, and --reuse passes over it with a note', async () => {
    const work = path.join(tmp, 'early');
    const ok = await cli(['--demo', '--num-prompts', '8', '--no-tui', '-w', work]);
    expect(ok.code, ok.stderr).toBe(0);
    const good = readdirSync(work)[0]!;
    // A port nobody listens on: asking it for the model name fails before any request.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    // One second later, so the failed run is the newest folder.
    await new Promise((r) => setTimeout(r, 1100));
    const bad = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      `http://127.0.0.1:${port}`,
      '--no-tui',
      '-w',
      work,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^aisbench-tui: cannot reach .*\/v1\/models to discover the model name/);
    const runs = readdirSync(work).sort();
    expect(runs).toHaveLength(2);
    const failed = runs.find((n) => n !== good)!;
    const log = readFileSync(
      walkFiles(path.join(work, failed, 'logs')).find((f) => f.endsWith('.out'))!,
      'utf8',
    );
    expect(log).toMatch(
      /\[ERROR\] task vllm-api-stream-chat\/synthetic failed before sending any request: cannot reach/,
    );
    const viz = await cli(['-m', 'perf_viz', '--reuse', '-w', work, '--no-tui']);
    expect(viz.code, viz.stderr).toBe(0);
    expect(viz.stderr).toContain(`aisbench-tui: note: skipping run ${failed}: it sent no request`);
    expect(viz.stdout).toContain(path.join(work, good));
  }, 90_000);
});

describe('bad input', () => {
  it('RequestCount 1e9 needs --num-prompts (exit 2 at once); with it, only N are made', async () => {
    const cfg = path.join(tmp, 'cfg-big');
    mkdirSync(path.join(cfg, 'datasets'), { recursive: true });
    writeFileSync(
      path.join(cfg, 'datasets', 'big.yaml'),
      [
        'type: synthetic',
        'synthetic:',
        '  Type: string',
        '  RequestCount: 1000000000',
        '  StringConfig:',
        '    Input: {Method: uniform, Params: {MinValue: 5, MaxValue: 5}}',
        '    Output: {Method: uniform, Params: {MinValue: 2, MaxValue: 2}}',
        '',
      ].join('\n'),
    );
    const t0 = Date.now();
    const r = await cli([
      '--config-dir',
      cfg,
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'big',
      '--url',
      'http://127.0.0.1:9',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "aisbench-tui: dataset 'big': RequestCount 1000000000 is above 200000: pass --num-prompts N to generate only the first N\n",
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    const dry = await cli([
      '--config-dir',
      cfg,
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'big',
      '--num-prompts',
      '5',
      '--dry-run',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
  }, 60_000);

  it('a config file named ...yaml is refused like a bad abbr', async () => {
    const cfg = path.join(tmp, 'cfg-dots');
    mkdirSync(path.join(cfg, 'models'), { recursive: true });
    writeFileSync(path.join(cfg, 'models', '...yaml'), 'api: chat\n');
    const r = await cli(['--config-dir', cfg, '--models', '..', '--datasets', 'synthetic_gen', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^aisbench-tui: config .*\.\.\.yaml: the file name "\.\." cannot be a task id .*set 'abbr'/,
    );
  });
});
