/**
 * The accuracy modes through the built CLI, against the embedded simulator
 * answering from its answer key: --demo --mode all leaves AISBench's folder
 * layout and a summary near the configured accuracy; infer, then eval
 * --reuse, then viz --reuse give the same summary as one all.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cli } from './cli-helpers.js';

const root = path.resolve(import.meta.dirname, '..');

/** The summary .txt of a run folder (there is one per all/eval/viz). */
function summaries(runDir: string): string[] {
  const dir = path.join(runDir, 'summary');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

describe('accuracy modes end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aisbench-acc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let allRun = '';
  it('--demo --mode all --no-tui prints the summary and leaves every folder', async () => {
    const r = await cli(['--demo', '--mode', 'all', '--no-tui', '-w', 'all', '--accuracy', '0.7', '--seed', '5'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /^demo_gsm8k +([0-9a-f]{6}) +accuracy +gen +(\d+\.\d\d)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(r.stdout).toMatch(/^dataset +version +metric +mode +sim-stream-chat$/m);
    // 200 questions, each right with probability 0.7: sd 3.2 points, so 10 points is 3 sd.
    expect(Math.abs(Number(m![2]) - 70)).toBeLessThan(10);
    allRun = path.join(dir, 'all', readdirSync(path.join(dir, 'all'))[0]!);
    const ts = path.basename(allRun);
    for (const f of [
      `configs/${ts}_config.yaml`,
      'logs/infer/sim-stream-chat/demo_gsm8k.out',
      'logs/eval/sim-stream-chat/demo_gsm8k.out',
      'predictions/sim-stream-chat/demo_gsm8k.json',
      'results/sim-stream-chat/demo_gsm8k.json',
    ]) {
      expect(existsSync(path.join(allRun, f)), f).toBe(true);
    }
    const sum = readdirSync(path.join(allRun, 'summary'))
      .map((f) => f.replace(/\d{8}_\d{6}/, 'TS'))
      .sort();
    expect(sum).toEqual(['summary_TS.csv', 'summary_TS.md', 'summary_TS.txt']);
    expect(existsSync(path.join(allRun, 'performances'))).toBe(false);
    // Every request's prompt, full output, reference and timing, one line each.
    const lines = readFileSync(path.join(allRun, 'predictions/sim-stream-chat/demo_gsm8k.json'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(200);
    const p = JSON.parse(lines[0]!);
    expect(p).toMatchObject({ replica: 0, ok: true });
    expect(p.output).toMatch(/#### -?\d+$/);
    expect(p.prompt.at(-1).content).toContain('Question: ');
    expect(typeof p.reference).toBe('string');
    expect(p.ttft).toBeGreaterThan(0);
    const res = JSON.parse(readFileSync(path.join(allRun, 'results/sim-stream-chat/demo_gsm8k.json'), 'utf8'));
    expect(res.counts).toMatchObject({ questions: 200, answered: 200, failed: 0, missing: 0 });
    // The summary's figure is the share of right scores, to the hundredth.
    const right = res.scores.filter((s: { correct: boolean }) => s.correct).length;
    expect(m![2]).toBe((right / 2).toFixed(2));
  }, 120_000);

  it('infer, then eval --reuse, then viz --reuse give the same summary as all', async () => {
    const inf = await cli(
      ['--demo', '--mode', 'infer', '--no-tui', '-w', 'parts', '--accuracy', '0.7', '--seed', '5'],
      dir,
    );
    expect(inf.code).toBe(0);
    const runDir = path.join(dir, 'parts', readdirSync(path.join(dir, 'parts'))[0]!);
    expect(existsSync(path.join(runDir, 'results'))).toBe(false);
    expect(existsSync(path.join(runDir, 'summary'))).toBe(false);
    const ev = await cli(['--mode', 'eval', '--reuse', '--no-tui', '-w', 'parts'], dir);
    expect(ev.code).toBe(0);
    expect(existsSync(path.join(runDir, 'logs/eval/sim-stream-chat/demo_gsm8k.out'))).toBe(true);
    const viz = await cli(['--mode', 'viz', '--reuse', path.basename(runDir), '--no-tui', '-w', 'parts'], dir);
    expect(viz.code).toBe(0);
    const all = summaries(allRun);
    expect(all).toHaveLength(1);
    const parts = summaries(runDir);
    // eval writes one, viz another: both equal the one of `all`.
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const s of parts) expect(s).toBe(all[0]);
    expect(viz.stdout).toContain(all[0]!.split('\n')[2]!);
  }, 120_000);

  it.each([
    ['custom_qa', 'no-answer.jsonl', /dataset .*no-answer\.jsonl: line 2: missing "answer"/],
    ['gsm8k_gen', 'malformed.jsonl', /dataset .*malformed\.jsonl: line 2: invalid JSON/],
    ['mmlu_gen', 'bad-letter.csv', /dataset .*bad-letter\.csv: line 2: unknown answer letter "E"/],
  ])(
    '%s with %s: one line naming file and line, exit 2, nothing sent',
    async (ds, file, says) => {
      const r = await cli(
        [
          '--mode',
          'all',
          '--models',
          'sim_stream_chat',
          '--datasets',
          ds,
          '--dataset-path',
          path.join(root, 'fixtures/accuracy/bad', file),
          '--no-tui',
          '-w',
          'bad',
        ],
        dir,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(says);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(path.join(dir, 'bad'))).toBe(false);
    },
    60_000,
  );

  it('a perf-only dataset is refused in the accuracy modes', async () => {
    const r = await cli(
      ['--mode', 'all', '--models', 'sim_stream_chat', '--datasets', 'synthetic_gen_demo', '--no-tui', '-w', 'bad'],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no reference answers/);
  }, 60_000);
});
