/**
 * The requested rate out of reach: --request-rate 20 at concurrency 1
 * against a simulator that answers in 500 ms. Little's law: 20 req/s × 0.5 s
 * = 10 requests in flight are needed, so the log and the board must say
 * about 10 (a little more: E2EL is a bit over 500 ms). Also the ETA column and
 * --dry-run's plan.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { Board } from '../src/ui/board/Board.js';
import { formatEta } from '../src/ui/board/layout.js';
import { loadTheme } from '../src/ui/theme.js';
import { makeTask } from './board-fixtures.js';
import type { RunSnapshot } from '../src/engine/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'aisbench-tui.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-rate-'));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 500, itlMs: 0 });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a rate the client cannot reach', () => {
  it('--request-rate 20 at concurrency 1 vs 500 ms answers: the log names the needed concurrency', async () => {
    const work = path.join(tmp, 'w');
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      sim.url,
      '--model',
      'm',
      '--no-tui',
      '--request-rate',
      '20',
      '--max-concurrency',
      '1',
      '--num-prompts',
      '6',
      '--output-len',
      '2',
      '--input-len',
      '4',
      '--num-warmups',
      '0',
      '-w',
      work,
    ]);
    expect(r.code).toBe(0);
    const run = path.join(work, readdirSync(work)[0]!);
    const logDir = path.join(run, 'logs', 'performance', 'vllm-api-stream-chat');
    const log = readFileSync(path.join(logDir, readdirSync(logDir)[0]!), 'utf8');
    const m = /cannot reach 20 req\/s: .* needs about (\d+) concurrent requests \(--max-concurrency 1 now\)/.exec(log);
    expect(m, log).not.toBeNull();
    // 20 req/s × E2EL 0.5-0.7 s (500 ms TTFT plus loopback and a loaded machine) = 10-14.
    expect(Number(m![1])).toBeGreaterThanOrEqual(10);
    expect(Number(m![1])).toBeLessThanOrEqual(14);
    expect(log).toMatch(/\[WARNING\].*at the end: cannot reach 20 req\/s/);
  }, 60_000);

  it('--dry-run prints model, requests, lengths, concurrency, rate and an estimated duration', async () => {
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--model',
      'mine',
      '--request-rate',
      '20',
      '--max-concurrency',
      '4',
      '--num-prompts',
      '300',
      '--input-len',
      '128',
      '--output-len',
      '32:64',
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vllm-api-stream-chat/synthetic: chat at http://127.0.0.1:8080, model mine');
    expect(r.stdout).toContain('requests 300, concurrency 4, rate 20 req/s');
    expect(r.stdout).toContain('input 128 tokens');
    expect(r.stdout).toMatch(/output 32-64 \(median [\d.]+, mean [\d.]+\) tokens \(ignore_eos: exact\)/);
    // 300 fixed gaps of 1/20 s: the last send is planned at 299 × 0.05 = 14.95 s.
    expect(r.stdout).toContain('estimated duration at least 14.9 s');
  }, 60_000);
});

describe('board', () => {
  it('shows a task warning under the table, and an ETA', () => {
    const tasks = [
      makeTask(0, 40, {
        total: 100,
        itPerSec: 2,
        warning: 'cannot reach 20 req/s: needs about 11 concurrent requests (--max-concurrency 1 now)',
      }),
      makeTask(1, 10),
    ];
    const snap: RunSnapshot = { runDir: 'out/x', updatedAt: Date.UTC(2025, 0, 1), tasks, done: false, stopping: false };
    const r = render(
      <Board
        source={{ subscribe: () => () => undefined, getSnapshot: () => snap }}
        theme={loadTheme('no-color', {})}
        width={160}
        height={24}
        onStop={() => undefined}
        onForceExit={() => undefined}
      />,
    );
    const frame = r.lastFrame() ?? '';
    expect(frame).toContain(
      '! vllm-api-stream-chat-00/demo_gsm8k: cannot reach 20 req/s: needs about 11 concurrent requests',
    );
    expect(frame).toMatch(/Time Cost +ETA/);
    r.unmount();
    // 60 left at 2 req/s = 30 s.
    expect(formatEta(tasks[0]!)).toBe('0:00:30');
    expect(formatEta({ ...tasks[0]!, status: 'finish' })).toBe('-');
  });
});
