/**
 * compare: two real runs of the built CLI against the batch simulator with
 * different settings, then the A/B table, its marks and exit codes; the Ink
 * view through ink-testing-library.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { compareRuns } from '../src/capacity/compare.js';
import { CompareView } from '../src/ui/compare/CompareView.js';
import { loadTheme } from '../src/ui/theme.js';
import { startBatchSimulator } from '../src/sim/index.js';
import { runCli } from './capacity-cli.js';

// Each case runs the built CLI against a live server: minutes on a loaded 2-core machine.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-cmp-'));
const work = path.join(tmp, 'w');
let runA = '';
let runB = '';

async function benchRun(stepBaseMs: number): Promise<string> {
  const sim = await startBatchSimulator({ maxNumSeqs: 8, stepBaseMs, stepPerSeqMs: 0.5 });
  try {
    const before = new Set(safeList(work));
    const r = await runCli(
      [
        '--models',
        'vllm_api_stream_chat',
        '--datasets',
        'custom',
        '--dataset-path',
        path.join(tmp, 'p.jsonl'),
        '--url',
        sim.url,
        '--num-warmups',
        '0',
        '--retry',
        '0',
        '--no-tui',
        '-w',
        work,
        '--max-concurrency',
        '4',
      ],
      tmp,
    );
    expect(r.code).toBe(0);
    return safeList(work).find((d) => !before.has(d))!;
  } finally {
    await sim.close();
  }
}
const safeList = (d: string): string[] => {
  try {
    return readdirSync(d).sort();
  } catch {
    return [];
  }
};

beforeAll(async () => {
  writeFileSync(
    path.join(tmp, 'p.jsonl'),
    Array.from({ length: 24 }, (_, i) => JSON.stringify({ prompt: `hi ${i}`, max_out_len: 12 })).join('\n') + '\n',
  );
  // A: steps of 5 + 0.5 × 4 = 7 ms; B: 20 + 0.5 × 4 = 22 ms, about 3x slower per token.
  runA = await benchRun(5);
  runB = await benchRun(20);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compare', () => {
  test('marks the slower build as regressions where lower/higher is better, and exits 3 with --fail-over 5', async () => {
    const r = await runCli(['compare', runA, runB, '-w', work, '--no-tui', '--fail-over', '5'], tmp);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const line = (m: string) => r.stdout.split('\n').find((l) => l.startsWith(m + ' ')) ?? '';
    for (const m of [
      'TPOT Average (ms) ↓',
      'E2EL Average (ms) ↓',
      'ITL Average (ms) ↓',
      'OutputTokenThroughput Average (token/s) ↑',
      'Output Token Throughput (token/s) ↑',
      'Request Throughput (req/s) ↑',
    ]) {
      expect(line(m), m).toMatch(/REGRESSION$/);
    }
    // Workload counts have no direction: never marked.
    expect(line('Total Requests')).not.toMatch(/REGRESSION|improved/);
    expect(line('OutputTokens Average')).not.toMatch(/REGRESSION|improved/);
    expect(r.stdout).toMatch(/\d+ regression\(s\) beyond 5%: /);
  });

  test('the other way round the same metrics improve; a run against itself has no mark (exit 0)', async () => {
    const back = await runCli(
      ['compare', path.join(work, runB), path.join(work, runA), '--no-tui', '--fail-over', '5'],
      tmp,
    );
    // Not the exit code: a client stall in the fast run can make one of its tail values (a Max) the worse one.
    const line = (m: string) => back.stdout.split('\n').find((l) => l.startsWith(m + ' ')) ?? '';
    for (const m of [
      'TPOT Average (ms) ↓',
      'E2EL Average (ms) ↓',
      'OutputTokenThroughput Average (token/s) ↑',
      'Output Token Throughput (token/s) ↑',
    ]) {
      expect(line(m), m).toMatch(/improved$/);
    }
    const same = await runCli(['compare', runA, runA, '-w', work, '--no-tui', '--fail-over', '5'], tmp);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no regression beyond 5%');
  });

  test('bad input is one line, exit 2', async () => {
    for (const args of [
      ['compare', runA],
      ['compare', 'nope', runA, '-w', work],
      ['compare', runA, '20990101_000000', '-w', work],
      ['compare', runA, runB, '-w', work, '--fail-over', '-1'],
    ]) {
      const r = await runCli(args, tmp);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  test('the A/B view: task, marks, changes-only filter', async () => {
    const c = compareRuns(path.join(work, runA), path.join(work, runB), 5);
    const { lastFrame, stdin, unmount } = render(
      <CompareView comparison={c} theme={loadTheme('no-color')} rows={200} />,
    );
    expect(lastFrame()).toContain('task vllm-api-stream-chat/custom');
    expect(lastFrame()).toMatch(/TPOT Average \(ms\) ↓.*REGRESSION/);
    expect(lastFrame()).toContain('Total Requests');
    stdin.write('r');
    await vi.waitFor(() => expect(lastFrame()).not.toContain('Total Requests'));
    expect(lastFrame()).toMatch(/TPOT Average \(ms\) ↓.*REGRESSION/);
    unmount();
  });
});
