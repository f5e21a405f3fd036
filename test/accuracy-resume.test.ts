/**
 * Resume, retest and repeated sampling through the built CLI against
 * servers that count what they receive: the simulator (in this process, so
 * its request log is the count), and a scripted non-streaming server for
 * pass@k / avg@n / cons@n computed by hand.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { loadSamples } from '../src/datasets/accuracy/samples.js';
import { questionCandidates } from '../src/datasets/accuracy/prompts.js';
import { cli } from './cli-helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const DEMO = path.join(root, 'src/config/builtin/data/demo_gsm8k.jsonl');
const samples = loadSamples('gsm8k', DEMO);
const idOf = new Map(samples.map((s) => [s.question, s.id]));

/** Sample id of each POST the simulator received, in order. */
function asked(sim: SimServer): number[] {
  return sim
    .requestLog()
    .filter((e) => e.path === '/v1/chat/completions')
    .map((e) => {
      const msgs = (e.body as { messages: Array<{ content: string }> }).messages;
      for (const c of questionCandidates(msgs.at(-1)!.content)) if (idOf.has(c)) return idOf.get(c)!;
      throw new Error('unknown question');
    });
}

function predLines(file: string): Array<{ sample: number; replica: number; ok: boolean }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return l.trim() ? [JSON.parse(l)] : [];
      } catch {
        return []; // a line torn by the kill
      }
    });
}

const count = (xs: number[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>());

describe('resume and retest', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aisbench-resume-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL during infer, then infer --reuse: saved samples are not sent again, none is missing', async () => {
    const sim = await startSimulator({ answerKey: DEMO, accuracy: 0.7, ttftMs: 20, itlMs: 10 });
    try {
      const args = [
        '--mode',
        'infer',
        '--models',
        'vllm_api_stream_chat',
        '--datasets',
        'demo_gsm8k',
        '--dataset-path',
        DEMO,
        '--url',
        sim.url,
        '--max-concurrency',
        '8',
        '--no-tui',
        '-w',
        'kill',
      ];
      const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      let file = '';
      await vi.waitFor(
        () => {
          const runs = existsSync(path.join(dir, 'kill')) ? readdirSync(path.join(dir, 'kill')) : [];
          expect(runs).toHaveLength(1);
          file = path.join(dir, 'kill', runs[0]!, 'predictions/vllm-api-stream-chat/demo_gsm8k.json');
          expect(predLines(file).length).toBeGreaterThanOrEqual(40);
        },
        { timeout: 60_000, interval: 20 },
      );
      child.kill('SIGKILL');
      await exited;
      const before = predLines(file);
      const saved = new Set(before.map((p) => p.sample));
      expect(saved.size).toBe(before.length);
      expect(saved.size).toBeLessThan(200); // killed in the middle
      const firstRun = asked(sim).length;

      const r = await cli(['--mode', 'infer', '--reuse', '--url', sim.url, '--no-tui', '-w', 'kill'], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const all = asked(sim);
      const second = count(all.slice(firstRun));
      // The resumed run sent exactly the samples without a saved prediction, once each.
      for (const s of samples) expect(second.get(s.id) ?? 0, `sample ${s.id}`).toBe(saved.has(s.id) ? 0 : 1);
      // Over both runs a saved sample was sent once; the only repeats are requests
      // that were in flight at the kill (no answer saved), at most the concurrency cap.
      const total = count(all);
      for (const s of saved) expect(total.get(s)).toBe(1);
      const twice = [...total.values()].filter((n) => n === 2).length;
      expect(twice).toBeLessThanOrEqual(8);
      expect([...total.values()].every((n) => n <= 2)).toBe(true);
      const after = predLines(file);
      expect(after).toHaveLength(200);
      expect(new Set(after.map((p) => p.sample)).size).toBe(200);
      expect(after.every((p) => p.ok)).toBe(true);
    } finally {
      await sim.close();
    }
  }, 120_000);

  it('Ctrl+C (SIGINT) during all: stops sending, evaluates what finished, exit 130; resume completes it', async () => {
    const args = ['--demo', '--mode', 'all', '--max-concurrency', '2', '--no-tui', '-w', 'int'];
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let file = '';
    await vi.waitFor(
      () => {
        const runs = existsSync(path.join(dir, 'int')) ? readdirSync(path.join(dir, 'int')) : [];
        expect(runs).toHaveLength(1);
        file = path.join(dir, 'int', runs[0]!, 'predictions/sim-stream-chat/demo_gsm8k.json');
        expect(predLines(file).length).toBeGreaterThanOrEqual(10);
      },
      { timeout: 60_000, interval: 20 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const n = predLines(file).length;
    expect(n).toBeLessThan(200);
    expect(out).toMatch(/^demo_gsm8k +\w{6} +accuracy +gen +\d+\.\d\d$/m);
    expect(out).toContain('The run was stopped');
    const runDir = path.dirname(path.dirname(path.dirname(file)));
    const res = JSON.parse(readFileSync(path.join(runDir, 'results/sim-stream-chat/demo_gsm8k.json'), 'utf8'));
    expect(res.counts.missing).toBe(200 - n);
    // The saved config is reused; command-line overrides still apply.
    expect(
      (await cli(['--mode', 'infer', '--reuse', '--max-concurrency', '16', '--no-tui', '-w', 'int'], dir)).code,
    ).toBe(0);
    const ev = await cli(['--mode', 'eval', '--reuse', '--no-tui', '-w', 'int'], dir);
    expect(ev.code).toBe(0);
    const done = JSON.parse(readFileSync(path.join(runDir, 'results/sim-stream-chat/demo_gsm8k.json'), 'utf8'));
    expect(done.counts).toMatchObject({ answered: 200, missing: 0, failed: 0 });
  }, 120_000);

  it('--retest-failed re-sends only the failed samples', async () => {
    const flaky = await startSimulator({ answerKey: DEMO, failRate: 0.3, seed: 9 });
    const common = [
      '--models',
      'vllm_api_general_chat',
      '--datasets',
      'demo_gsm8k',
      '--dataset-path',
      DEMO,
      '--num-prompts',
      '50',
      '--retry',
      '0',
      '--max-concurrency',
      '8',
      '--no-tui',
      '-w',
      'retest',
    ];
    try {
      const r = await cli(['--mode', 'infer', ...common, '--url', flaky.url], dir);
      expect(r.code).toBe(0);
    } finally {
      await flaky.close();
    }
    const runDir = path.join(dir, 'retest', readdirSync(path.join(dir, 'retest'))[0]!);
    const file = path.join(runDir, 'predictions/vllm-api-general-chat/demo_gsm8k.json');
    const failed = new Set(
      predLines(file)
        .filter((p) => !p.ok)
        .map((p) => p.sample),
    );
    expect(failed.size).toBeGreaterThan(0);
    expect(failed.size).toBeLessThan(50);
    const good = await startSimulator({ answerKey: DEMO });
    try {
      const r = await cli(
        [
          '--mode',
          'infer',
          '--reuse',
          path.basename(runDir),
          '--retest-failed',
          '--url',
          good.url,
          '--no-tui',
          '-w',
          'retest',
        ],
        dir,
      );
      expect(r.code).toBe(0);
      expect(asked(good).sort((a, b) => a - b)).toEqual([...failed].sort((a, b) => a - b));
    } finally {
      await good.close();
    }
    const ev = await cli(['--mode', 'eval', '--reuse', '--no-tui', '-w', 'retest'], dir);
    expect(ev.code).toBe(0);
    const res = JSON.parse(readFileSync(path.join(runDir, 'results/vllm-api-general-chat/demo_gsm8k.json'), 'utf8'));
    expect(res.counts).toMatchObject({ questions: 50, answered: 50, failed: 0, missing: 0 });
    // The key answers right every time (accuracy 1).
    expect(ev.stdout).toMatch(/^demo_gsm8k +\w{6} +accuracy +gen +100\.00$/m);
  }, 120_000);
});

describe('multiple choice', () => {
  it('mmlu_gen over a folder of subjects: overall and per-subject rows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-mmlu-'));
    const folder = path.join(root, 'fixtures/accuracy/mmlu');
    const sim = await startSimulator({ answerKey: folder, accuracy: 1 });
    try {
      const r = await cli(
        [
          '--mode',
          'all',
          '--models',
          'vllm_api_stream_chat',
          '--datasets',
          'mmlu_gen',
          '--dataset-path',
          folder,
          '--url',
          sim.url,
          '--no-tui',
          '-w',
          'o',
        ],
        dir,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const ds of ['mmlu', 'mmlu/astronomy', 'mmlu/virology']) {
        expect(r.stdout).toMatch(new RegExp(`^${ds} +\\w{6} +accuracy +gen +100\\.00$`, 'm'));
      }
      expect(sim.requestLog().filter((e) => e.path === '/v1/chat/completions')).toHaveLength(5);
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('--num-return 4 against a scripted non-streaming server', () => {
  // The k-th ask of a question gets script[q][k]: the fixture of test/accuracy-evaluate.test.ts.
  const script: Record<string, string[]> = {
    Q1: ['#### 5', '#### 3', '#### 3', '#### 7'], // reference 5: 1 right, majority 3 (wrong)
    Q2: ['#### 8', '#### 8', '#### 8', '#### 9'], // reference 8: 3 right, majority 8 (right)
    Q3: ['#### 2', '#### 9', '#### 9', '#### 1'], // reference 9: 2 right, majority 9 (right)
    Q4: ['no idea', '#### 1', '#### 2', 'no idea'], // reference 4: none right
  };
  let server: Server;
  let url = '';
  const seen = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"scripted"}]}');
          return;
        }
        const last = JSON.parse(body).messages.at(-1).content as string;
        const q = /Question: (Q\d)/.exec(last)![1]!;
        const k = seen.get(q) ?? 0;
        seen.set(q, k + 1);
        const content = script[q]![k] ?? 'too many asks';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 9, completion_tokens: 3 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('pass@1, pass@4, avg@4 and cons@4 equal the hand-computed values', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-nr-'));
    try {
      const r = await cli(
        [
          '--mode',
          'all',
          '--models',
          'vllm_api_general_chat',
          '--datasets',
          'gsm8k_gen',
          '--dataset-path',
          path.join(root, 'fixtures/accuracy/nr4.jsonl'),
          '--url',
          url,
          '--num-return',
          '4',
          '--max-concurrency',
          '4',
          '--no-tui',
          '-w',
          'o',
        ],
        dir,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect([...seen.values()]).toEqual([4, 4, 4, 4]);
      const row = (metric: string) => new RegExp(`^gsm8k +\\w{6} +${metric} +gen +(\\S+)$`, 'm').exec(r.stdout)?.[1];
      expect(row('avg@4')).toBe('37.50'); // (1/4 + 3/4 + 2/4 + 0) / 4
      expect(row('pass@1')).toBe('37.50'); // pass@1 = c/n per question, the same mean
      expect(row('pass@4')).toBe('75.00'); // Q1, Q2, Q3 have a right answer among 4
      expect(row('cons@4')).toBe('50.00'); // majorities: 3 (wrong), 8, 9 (right), 1 or 2 (wrong)
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
