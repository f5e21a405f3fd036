/**
 * The flags a newcomer sets first, end to end: the built CLI against the
 * embedded simulator (in this process) and against small servers written
 * here. Expected values are the flags' own numbers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'aisbench-tui.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-flags-'));

/** Runs the CLI (async, so servers in this process keep answering). */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: tmp, timeout: 120_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The measured records of the one task in the newest run under `work`. */
function records(work: string): { in: number; out: number; ok: boolean; msg?: string }[] {
  const run = path.join(work, readdirSync(work).sort().at(-1)!);
  const perf = path.join(run, 'performances');
  const model = readdirSync(perf)[0]!;
  const file = readdirSync(path.join(perf, model)).find((f) => f.endsWith('_details.jsonl'))!;
  return readFileSync(path.join(perf, model, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { in: number; out: number; ok: boolean; warm?: number; msg?: string })
    .filter((r) => !r.warm);
}

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 2, itlMs: 0, logLimit: 2000 });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

const base = () => [
  '--models',
  'vllm_api_stream_chat',
  '--datasets',
  'synthetic_gen',
  '--url',
  sim.url,
  '--no-tui',
  '--max-concurrency',
  '16',
];

describe('newcomer flags against the simulator', () => {
  it('--model, --input-len 128 --output-len 64 --num-prompts 300: 300 requests, 64 out, 128 in', async () => {
    const work = path.join(tmp, 'lens');
    const r = await cli([
      ...base(),
      '--model',
      'my-model',
      '--input-len',
      '128',
      '--output-len',
      '64',
      '--num-prompts',
      '300',
      '-w',
      work,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = records(work);
    // 300 although synthetic_gen's config has RequestCount 1000 (and would give 1000 entries).
    expect(rs).toHaveLength(300);
    expect(rs.every((x) => x.ok && x.out === 64)).toBe(true);
    // Without a tokenizer an N-token prompt is N words, and the simulator counts words: exact (README: ±0 here).
    expect(rs.every((x) => x.in === 128)).toBe(true);
    // A run that ended by itself has nothing to stop: its log does not say "stop requested".
    const run = path.join(work, readdirSync(work)[0]!);
    const logDir = path.join(run, 'logs', 'performance', 'vllm-api-stream-chat');
    expect(readFileSync(path.join(logDir, readdirSync(logDir)[0]!), 'utf8')).not.toContain('stop requested');
    const models = new Set(
      sim
        .requestLog()
        .filter((e) => e.path.endsWith('/completions'))
        .map((e) => (e.body as { model?: string }).model),
    );
    expect(models).toEqual(new Set(['my-model']));
  }, 120_000);

  it('--max-out-len caps every output, --input-len MIN:MAX stays in range, EvalScope spellings work', async () => {
    const work = path.join(tmp, 'cap');
    const args = [
      '--api',
      'openai',
      '--url',
      sim.url,
      '--no-tui',
      '--parallel',
      '8',
      '--number',
      '40',
      '--max-out-len',
      '8',
      '--input-len',
      '10:20',
      '-w',
      work,
    ];
    const r = await cli(args);
    expect(r.code).toBe(0);
    const rs = records(work);
    expect(rs).toHaveLength(40);
    // synthetic_gen's Output is 20..200 tokens; --max-out-len 8 caps each request (ignore_eos: exactly 8).
    expect(rs.every((x) => x.out === 8)).toBe(true);
    expect(rs.every((x) => x.in >= 10 && x.in <= 20)).toBe(true);
    expect(new Set(rs.map((x) => x.in)).size).toBeGreaterThan(3);
  }, 120_000);

  it('--no-ignore-eos drops ignore_eos, --prefix-len shares a prefix', async () => {
    const before = sim.requestLog().length;
    const work = path.join(tmp, 'eos');
    const r = await cli([
      ...base(),
      '--model',
      'm',
      '--no-ignore-eos',
      '--input-len',
      '30',
      '--prefix-len',
      '20',
      '--output-len',
      '4',
      '--num-prompts',
      '6',
      '-w',
      work,
    ]);
    expect(r.code).toBe(0);
    const log = sim
      .requestLog()
      .slice(before)
      .filter((e) => e.path.endsWith('/completions'));
    expect(log.length).toBeGreaterThanOrEqual(6);
    for (const e of log) {
      const body = e.body as { ignore_eos?: unknown; messages: { content: string }[] };
      expect(body.ignore_eos).toBeUndefined();
      // The first 20 words are the same in every prompt; 30 words in all.
      expect(body.messages[0]!.content.split(' ')).toHaveLength(30);
    }
    const heads = new Set(
      log.map((e) =>
        (e.body as { messages: { content: string }[] }).messages[0]!.content.split(' ').slice(0, 20).join(' '),
      ),
    );
    expect(heads.size).toBe(1);
  }, 120_000);
});

describe('servers that say no', () => {
  let server: http.Server;
  let url = '';
  const teams: (string | undefined)[] = [];
  beforeAll(async () => {
    // Answers /v1/models with an empty list and every completion with 422, as a strict OpenAI-schema gateway does.
    server = http.createServer((req, res) => {
      teams.push(req.headers['x-team'] as string | undefined);
      req.resume();
      req.on('end', () => {
        if (req.url?.endsWith('/v1/models')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}');
        } else
          res
            .writeHead(422, { 'content-type': 'application/json' })
            .end('{"detail":[{"type":"extra_forbidden","loc":["body","ignore_eos"]}]}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('an empty /v1/models says what was found, the flag and the file', async () => {
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      url,
      '--no-tui',
      '-w',
      path.join(tmp, 'nomodel'),
    ]);
    expect(r.code).toBe(1);
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('answered with an empty model list');
    expect(line).toContain('--model NAME');
    expect(line).toContain(path.join('builtin', 'models', 'vllm_api_stream_chat.yaml'));
    expect(line).not.toContain('cannot reach');
  }, 60_000);

  it('a 422 to ignore_eos names --no-ignore-eos; --header reaches the server', async () => {
    const work = path.join(tmp, 'strict');
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      url,
      '--model',
      'm',
      '--header',
      'X-Team: perf',
      '--no-tui',
      '--num-prompts',
      '3',
      '--retry',
      '0',
      '--num-warmups',
      '0',
      '-w',
      work,
    ]);
    expect(r.code).toBe(1);
    const rs = records(work);
    expect(rs).toHaveLength(3);
    expect(rs.every((x) => !x.ok && x.msg!.includes('try --no-ignore-eos'))).toBe(true);
    expect(teams.at(-1)).toBe('perf');
  }, 60_000);
});

describe('parsing', () => {
  it('--help shows the defaults a newcomer needs', () => {
    const c = parseCli(['--help']);
    expect(c.kind).toBe('help');
    const text = (c as { text: string }).text;
    for (const s of [
      'http://127.0.0.1:8080',
      'concurrency 1',
      'retries 2',
      'temperature 0.01',
      'ignore_eos true',
      '--model <name>',
      '--input-len',
    ])
      expect(text).toContain(s);
  });

  it('aliases fold into the canonical options; contradictions are errors', () => {
    const c = parseCli(['--api', 'openai', '--parallel', '4', '--number', '9']);
    expect(c.kind).toBe('perf');
    const o = (c as { opts: { models: string[]; datasets: string[]; maxConcurrency?: number; numPrompts?: number } })
      .opts;
    expect(o).toMatchObject({
      models: ['vllm_api_stream_chat'],
      datasets: ['synthetic_gen'],
      maxConcurrency: 4,
      numPrompts: 9,
    });
    expect(() => parseCli(['--api', 'openai', '--parallel', '4', '--max-concurrency', '5'])).toThrow(
      /say different things/,
    );
    expect(() => parseCli(['--api', 'dashscope'])).toThrow(/--api must be openai/);
    expect(() => parseCli(['--api', 'openai', '--input-len', '0'])).toThrow(/--input-len must be N or MIN:MAX/);
    expect(() => parseCli(['--api', 'openai', '--input-len', '64:32'])).toThrow(/--input-len/);
    expect(() => parseCli(['--api', 'openai', '--input-len', '10:20', '--prefix-len', '5'])).toThrow(
      /fixed --input-len/,
    );
    expect(() => parseCli(['--api', 'openai', '--header', 'novalue'])).toThrow(/--header must be NAME:VALUE/);
  });
});

describe('a warm-up that fails once', () => {
  let server: http.Server;
  let url = '';
  let posts = 0;
  beforeAll(async () => {
    // The first POST gets a 503, every later one a short valid stream.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(404).end();
        if (++posts === 1) return void res.writeHead(503).end('busy');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n' +
            'data: {"choices":[{"index":0,"delta":{"content":" b"}}]}\n\n' +
            'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\n' +
            'data: [DONE]\n\n',
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('does not stop the run at --retry 0: another warm-up is sent, then the run', async () => {
    const work = path.join(tmp, 'warm');
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      url,
      '--model',
      'm',
      '--no-tui',
      '--num-prompts',
      '3',
      '--retry',
      '0',
      '-w',
      work,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(records(work).filter((x) => x.ok)).toHaveLength(3);
    // 1 failed warm-up + 1 good warm-up + 3 measured requests.
    expect(posts).toBe(5);
  }, 60_000);
});

describe('stopping a multi-task run', () => {
  it('leaves no files for tasks that never started', async () => {
    const work = path.join(tmp, 'stop');
    const child = execFile(
      process.execPath,
      [BIN, '--demo', '--demo-tasks', '4', '--max-num-workers', '1', '--no-tui', '-w', work],
      { cwd: tmp },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Stop once the first task has finished requests on disk.
    await vi.waitFor(
      () => {
        const run = readdirSync(work)[0]!;
        const f = path.join(work, run, 'performances', 'sim-a', 'synthetic-demo_details.jsonl');
        expect(readFileSync(f, 'utf8').split('\n').length).toBeGreaterThan(5);
      },
      { timeout: 60_000, interval: 100 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const perf = path.join(work, readdirSync(work)[0]!, 'performances');
    // sim-a ran (maybe sim-b started too); sim-c and sim-d never did.
    const dirs = readdirSync(perf);
    expect(dirs).toContain('sim-a');
    expect(dirs).not.toContain('sim-c');
    expect(dirs).not.toContain('sim-d');
  }, 90_000);
});
