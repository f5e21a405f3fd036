/**
 * `aisbench-tui sim --tls-cert FILE --tls-key FILE` from the command line
 * (#15): the README's three commands run as written (openssl, the simulator,
 * the client with --ca-cert; only the port is replaced by an ephemeral one
 * and the run bounded), then a run with --insecure, then bad files: one line,
 * exit 2. The token totals are checked against the simulator's own counters
 * (GET /metrics over the same TLS).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './backend-harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-sim-tls-'));

/** The commands of the README's "The simulator over HTTPS" block. */
function readmeBlock(): string[] {
  const text = readFileSync(path.join(root, 'README.md'), 'utf8');
  const from = text.indexOf('### The simulator over HTTPS');
  expect(from).toBeGreaterThan(0);
  const start = text.indexOf('```sh', from) + 5;
  return text
    .slice(start, text.indexOf('```', start))
    .trim()
    .split('\n')
    .map((l) => l.trim());
}

const [opensslLine, simLine, clientLine] = readmeBlock();
let sim: ChildProcess;
let url = '';
let agent: Agent;

/** Splits a README line into argv (no quotes are used in it). */
const words = (line: string): string[] => line.split(/\s+/).filter(Boolean);

beforeAll(async () => {
  const [cmd, ...args] = words(opensslLine!);
  expect(cmd).toBe('openssl');
  execFileSync(cmd!, args, { cwd: dir, stdio: 'ignore' });
  const simArgs = words(simLine!.replace(/^npx aisbench-tui /, '').replace('--port 8443', '--port 0'));
  expect(simArgs).toEqual([
    'sim',
    '--engine',
    'batch',
    '--port',
    '0',
    '--tls-cert',
    'cert.pem',
    '--tls-key',
    'key.pem',
  ]);
  sim = spawn(process.execPath, [bin, ...simArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    sim.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    sim.once('exit', (code) => reject(new Error(`sim exited ${code}`)));
  });
  const m = /^simulator listening on (https:\/\/127\.0\.0\.1:\d+) \(batch engine/.exec(line);
  expect(m, line).not.toBeNull();
  url = m![1]!;
  agent = new Agent({ connect: { ca: readFileSync(path.join(dir, 'cert.pem'), 'utf8') } });
}, 30_000);

afterAll(async () => {
  sim?.kill('SIGTERM');
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** vllm:generation_tokens_total and vllm:prompt_tokens_total of the simulator, read over TLS with the CA. */
async function counters(): Promise<{ gen: number; prompt: number }> {
  const res = await request(`${url}/metrics`, { dispatcher: agent });
  const text = await res.body.text();
  const value = (name: string): number =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { gen: value('vllm:generation_tokens_total'), prompt: value('vllm:prompt_tokens_total') };
}

/** The client README line against this simulator, bounded; returns the exit, stderr and the Common Metric JSON. */
async function runClient(line: string, n: number) {
  const work = mkdtempSync(path.join(dir, 'w-'));
  const args = words(
    line
      .replace(/^npx aisbench-tui /, '')
      .replace('https://127.0.0.1:8443', url)
      .replace('cert.pem', path.join(dir, 'cert.pem')),
  );
  const r = await cli([
    ...args,
    '--num-prompts',
    String(n),
    '--num-warmups',
    '0',
    '--max-concurrency',
    '4',
    '--no-tui',
    '-w',
    work,
  ]);
  const runDir = path.join(work, readdirSync(work)[0] ?? '');
  let common: Record<string, { total: string }> = {};
  if (r.code === 0) {
    const perf = path.join(runDir, 'performances', 'vllm-api-stream-chat', 'synthetic.json');
    common = JSON.parse(readFileSync(perf, 'utf8')) as Record<string, { total: string }>;
  }
  return { ...r, common };
}

describe('sim --tls-cert/--tls-key from the command line', () => {
  it("the README commands as written: a run with --ca-cert, totals equal the simulator's counters", async () => {
    expect(clientLine).toMatch(/--ca-cert cert\.pem$/);
    const before = await counters();
    const r = await runClient(clientLine!, 12);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.common['Success Requests']!.total).toBe('12');
    const after = await counters();
    expect(Number(r.common['Total Generated Tokens']!.total)).toBe(after.gen - before.gen);
    expect(Number(r.common['Total Input Tokens']!.total)).toBe(after.prompt - before.prompt);
  }, 90_000);

  it('--insecure instead of --ca-cert: runs, with one warning line', async () => {
    const r = await runClient(clientLine!.replace('--ca-cert cert.pem', '--insecure'), 8);
    expect(r.code, r.stderr).toBe(0);
    expect(r.common['Success Requests']!.total).toBe('8');
    expect(r.stderr.trim().split('\n')).toEqual([
      'aisbench-tui: warning: --insecure: server certificates are not verified',
    ]);
  }, 90_000);

  it('bad files are one line and exit 2: a missing cert, a key alone, a non-PEM file, a key of another certificate', async () => {
    const otherKey = path.join(dir, 'other-key.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', otherKey], {
      stdio: 'ignore',
    });
    writeFileSync(path.join(dir, 'junk.pem'), 'not a certificate\n');
    const cases: Array<[string[], RegExp]> = [
      [
        ['--tls-cert', 'nope.pem', '--tls-key', 'key.pem'],
        /^aisbench-tui: sim: --tls-cert: cannot read nope\.pem \(ENOENT\)$/,
      ],
      [['--tls-key', 'key.pem'], /^aisbench-tui: sim: --tls-cert and --tls-key go together/],
      [
        ['--tls-cert', 'junk.pem', '--tls-key', 'key.pem'],
        /^aisbench-tui: sim: --tls-cert: junk\.pem holds no PEM certificate$/,
      ],
      [
        ['--tls-cert', 'cert.pem', '--tls-key', otherKey],
        /^aisbench-tui: sim: --tls-cert cert\.pem and --tls-key .*other-key\.pem are not a usable pair \(.*mismatch.*\)$/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, 'sim', '--port', '0', ...args], {
          cwd: dir,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(re);
    }
  }, 60_000);
});
