/**
 * Workloads through the real CLI against a simulator this test starts
 * (port 0): multi-turn conversations checked at the simulator, warmups kept
 * out of the metrics, all warmups failing, and the gsm8k / custom / trace
 * datasets. Needs the build (dist/) like every CLI test.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import type { SimRequestLog } from '../src/sim/request-log.js';
import type { ChatMessage, RequestRecord } from '../src/engine/types.js';
import { decodeLine } from '../src/engine/details-codec.js';
import { countWords } from '../src/sim/tokens.js';
import { buildSchedule } from '../src/engine/arrival.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (f: string) => path.join(root, 'fixtures', f);
/** The non-blank lines of a JSONL fixture, parsed (fixtures keep a blank line on purpose). */
const jsonl = <T>(f: string): T[] =>
  readFileSync(fixture(f), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
const work = mkdtempSync(path.join(tmpdir(), 'aisb-workloads-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** performances/<abbr>/ of the run. */
  dir: string;
}

let runs = 0;
/** Runs the CLI (plain output, its own work dir) and finds the task's result folder. */
function cli(args: string[], abbr: string): Promise<CliRun> {
  const w = path.join(work, `run${++runs}`);
  const argv = [path.join(root, 'bin', 'aisbench-tui.mjs'), ...args, '--no-tui', '-w', w];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0;
      const [run] = (() => {
        try {
          return readdirSync(w);
        } catch {
          return [];
        }
      })();
      resolve({ code, stdout, stderr, dir: path.join(w, run ?? '', 'performances', abbr) });
    });
  });
}

function details(dir: string, dataset: string): RequestRecord[] {
  return readFileSync(path.join(dir, `${dataset}_details.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map(decodeLine);
}

function commonJson(dir: string, dataset: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(path.join(dir, `${dataset}.json`), 'utf8')) as Record<string, Record<string, string>>;
}

/** The simulator's POSTs since `from` (its log index). */
const posts = (sim: SimServer, from = 0): SimRequestLog[] =>
  sim
    .requestLog()
    .slice(from)
    .filter((e) => e.path.endsWith('/completions'));
const messagesOf = (e: SimRequestLog) => (e.body as { messages: ChatMessage[] }).messages;

describe('workloads through the CLI', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 3, itlMs: 1, outputMin: 3, outputMax: 6 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('multi-turn: each turn after the previous answer, with the whole history in order', async () => {
    const from = sim.requestLog().length;
    const r = await cli(
      [
        '--models',
        'vllm_api_stream_chat_multiturn',
        '--datasets',
        'sharegpt_multiturn',
        '--dataset-path',
        fixture('sharegpt.json'),
      ].concat(['--url', sim.url, '--max-concurrency', '2', '--num-warmups', '0', '--max-out-len', '5']),
      'vllm-api-stream-chat-multiturn',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const raw = JSON.parse(readFileSync(fixture('sharegpt.json'), 'utf8')) as Array<{
      conversations?: Array<{ from: string; value: string }>;
      messages?: Array<{ role: string; content: string }>;
    }>;
    // Expected sent messages (before the server's answers) per conversation: system + user turns.
    const convs = raw
      .map((c) => (c.conversations ?? []).map((m) => ({ role: m.from, content: m.value })).concat(c.messages ?? []))
      .map((ms) =>
        ms
          .filter((m) => m.role !== 'gpt' && m.role !== 'assistant')
          .map((m) => ({ ...m, role: m.role === 'human' ? 'user' : m.role })),
      )
      .filter((ms) => ms.some((m) => m.role === 'user'));
    const log = posts(sim, from);
    expect(log).toHaveLength(convs.reduce((a, ms) => a + ms.filter((m) => m.role === 'user').length, 0));
    for (const want of convs) {
      const users = want.filter((m) => m.role === 'user');
      // The turns of this conversation, in the order the simulator received them.
      const turns = log.filter((e) => messagesOf(e).find((m) => m.role === 'user')?.content === users[0]!.content);
      expect(turns).toHaveLength(users.length);
      for (let t = 0; t < turns.length; t++) {
        const msgs = messagesOf(turns[t]!);
        // Without the assistant answers: the dataset's system + user messages up to turn t, in order.
        expect(msgs.filter((m) => m.role !== 'assistant')).toEqual(want.slice(0, want.indexOf(users[t]!) + 1));
        const answers = msgs.filter((m) => m.role === 'assistant');
        expect(answers).toHaveLength(t);
        if (t === 0) continue;
        // Turn t is sent after turn t-1's answer ended, and carries that very answer last before the new user turn.
        const prev = turns[t - 1]!;
        expect(turns[t]!.receivedAt).toBeGreaterThanOrEqual(prev.endedAt!);
        expect(msgs[msgs.length - 2]!.role).toBe('assistant');
        expect(countWords(msgs[msgs.length - 2]!.content)).toBe(prev.tokens);
        for (let k = 0; k < t; k++) expect(countWords(answers[k]!.content)).toBe(turns[k]!.tokens);
      }
    }
    // Metrics per turn: the records carry their turn number.
    const recs = details(r.dir, 'sharegpt').filter((x) => !x.warmup);
    expect(recs.every((x) => x.ok)).toBe(true);
    expect(recs.map((x) => x.turn).sort()).toEqual([0, 0, 0, 1, 1, 2]);
  }, 40_000);

  it('warmups are flagged in the details and left out of every metric', async () => {
    const from = sim.requestLog().length;
    const r = await cli(
      ['--models', 'vllm_api_stream_chat', '--datasets', 'custom', '--dataset-path', fixture('custom.jsonl')].concat([
        '--url',
        sim.url,
        '--max-concurrency',
        '4',
        '--num-warmups',
        '2',
      ]),
      'vllm-api-stream-chat',
    );
    expect(r.code).toBe(0);
    const prompts = jsonl<{ prompt: string }>('custom.jsonl').map((x) => x.prompt);
    const size = prompts.length;
    const recs = details(r.dir, 'custom');
    expect(recs.filter((x) => x.warmup)).toHaveLength(2);
    expect(recs.filter((x) => !x.warmup)).toHaveLength(size);
    expect(posts(sim, from)).toHaveLength(size + 2);
    const json = commonJson(r.dir, 'custom');
    expect(json['Total Requests']!.total).toBe(String(size));
    expect(json['Success Requests']!.total).toBe(String(size));
    // The warmups' tokens are not counted either.
    const out = recs.filter((x) => !x.warmup).reduce((a, x) => a + x.outTok, 0);
    expect(json['Total Generated Tokens']!.total).toBe(String(out));
    // Every prompt of the file was sent as a user message.
    const sent = posts(sim, from).map((e) => messagesOf(e).at(-1)!.content);
    for (const p of prompts) expect(sent).toContain(p);
  }, 40_000);

  it('all warmups failing stop the task before the run with a clear error (exit 1)', async () => {
    const bad = await startSimulator({ failRate: 1, failStatus: 503 });
    try {
      const r = await cli(
        ['--models', 'vllm_api_stream_chat', '--datasets', 'custom', '--dataset-path', fixture('custom.jsonl')].concat([
          '--url',
          bad.url,
          '--num-warmups',
          '2',
          '--retry',
          '0',
        ]),
        'vllm-api-stream-chat',
      );
      expect(r.code).toBe(1);
      // 2 warm-ups failed, so a third was tried before giving up.
      expect(r.stderr).toMatch(/all 3 warmup request\(s\) failed \(E_HTTP_503/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // Nothing but the three warmups reached the server.
      expect(posts(bad)).toHaveLength(3);
    } finally {
      await bad.close();
    }
  }, 40_000);

  it('gsm8k_gen sends the few-shot chat prompt built in code, one request per question, on the seeded schedule', async () => {
    const from = sim.requestLog().length;
    const r = await cli(
      ['--models', 'vllm_api_stream_chat', '--datasets', 'gsm8k_gen', '--dataset-path', fixture('gsm8k-sample.jsonl')]
        .concat(['--url', sim.url, '--max-concurrency', '4', '--num-warmups', '0'])
        .concat(['--request-rate', '50', '--burstiness', '1', '--seed', '3']),
      'vllm-api-stream-chat',
    );
    expect(r.code).toBe(0);
    const questions = jsonl<{ question: string }>('gsm8k-sample.jsonl').map((x) => x.question);
    // The CLI's rate, burstiness and seed make the same schedule as the arrival module.
    const want = Array.from(buildSchedule(questions.length, { requestRate: 50, burstiness: 1, seed: 3 }));
    const got = details(r.dir, 'gsm8k')
      .sort((a, b) => a.id - b.id)
      .map((x) => x.sched);
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 3)); // details keep µs
    expect(commonJson(r.dir, 'gsm8k')['Send Delay Mean']).toBeDefined();
    const log = posts(sim, from);
    expect(log).toHaveLength(questions.length);
    for (const e of log) {
      const msgs = messagesOf(e);
      expect(msgs.map((m) => m.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
        'assistant',
        'user',
      ]);
    }
    const asked = log.map((e) => messagesOf(e).at(-1)!.content);
    for (const q of questions) expect(asked.some((a) => a.includes(q))).toBe(true);
    expect(commonJson(r.dir, 'gsm8k')['Total Requests']!.total).toBe(String(questions.length));
  }, 40_000);

  it('a trace replayed with use_timestamp: sends on its timestamps, send delay in the Common Metric table', async () => {
    const dir = path.join(work, 'cfg');
    mkdirSync(path.join(dir, 'models'), { recursive: true });
    writeFileSync(
      path.join(dir, 'models', 'trace_chat.yaml'),
      `abbr: trace-chat\napi: chat\nurl: ${sim.url}\nuse_timestamp: true\nbatch_size: 64\nretry: 0\ngeneration_kwargs: {ignore_eos: true}\n`,
    );
    const from = sim.requestLog().length;
    const r = await cli(
      [
        '--config-dir',
        dir,
        '--models',
        'trace_chat',
        '--datasets',
        'mooncake_trace',
        '--dataset-path',
        fixture('trace.jsonl'),
      ].concat(['--num-warmups', '0', '--num-prompts', '20']),
      'trace-chat',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const stamps = jsonl<{ timestamp: number; input_length: number; output_length: number }>('trace.jsonl').slice(
      0,
      20,
    );
    const recs = details(r.dir, 'mooncake-trace').sort((a, b) => a.id - b.id);
    expect(recs.map((x) => x.sched)).toEqual(stamps.map((s) => s.timestamp - stamps[0]!.timestamp));
    // Sends follow the schedule (never early); this suite runs beside others, so lateness is only bounded loosely here
    // (test/timing/arrival-live.test.ts holds the 5 ms bound).
    for (const x of recs) expect(x.t0).toBeGreaterThanOrEqual(x.sched - 0.01);
    const log = posts(sim, from);
    expect(log.map((e) => e.promptTokens).sort((a, b) => a - b)).toEqual(
      stamps.map((s) => s.input_length).sort((a, b) => a - b),
    );
    expect(log.map((e) => (e.body as { max_tokens: number }).max_tokens).sort((a, b) => a - b)).toEqual(
      stamps.map((s) => s.output_length).sort((a, b) => a - b),
    );
    const json = commonJson(r.dir, 'mooncake-trace');
    expect(json['Send Delay Mean']!.total).toMatch(/^\d+(\.\d+)? ms$/);
    expect(json['Send Delay P99']!.total).toMatch(/^\d+(\.\d+)? ms$/);
    expect(r.stdout).toMatch(/Send Delay Mean/);
  }, 40_000);
});
