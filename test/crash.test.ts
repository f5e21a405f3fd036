/**
 * Interruption of the built CLI (`--no-tui`): SIGKILL keeps every finished
 * request in the details file and `perf_viz --reuse` recomputes from it (a
 * torn last line skipped with a warning); SIGINT / SIGTERM stop sending, let
 * in-flight requests finish, print the tables and exit 130 / 143.
 * Needs dist/ (`npx tsc -p .`).
 */
import type { ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startCli, type CliRun } from './cli-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisbench-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

type Run = CliRun;

function start(args: string[]): Run {
  const run = startCli(args);
  children.push(run.child);
  return run;
}

/**
 * The sim_stream_chat task (TTFT 50 ms, ITL 5 ms, 16 concurrent) on 400
 * prompts of 32 output tokens: ~0.2 s a request, far inside the 2 s grace
 * even on a loaded machine, and ~5 s for the whole run.
 */
const configDir = path.join(tmp, 'config');
mkdirSync(path.join(configDir, 'datasets'), { recursive: true });
writeFileSync(
  path.join(configDir, 'datasets', 'crash_gen.yaml'),
  [
    'abbr: synthetic',
    'type: synthetic',
    'synthetic:',
    '  Type: string',
    '  RequestCount: 400',
    '  StringConfig:',
    '    Input: {Method: uniform, Params: {MinValue: 20, MaxValue: 20}}',
    '    Output: {Method: uniform, Params: {MinValue: 32, MaxValue: 32}}',
    '',
  ].join('\n'),
);
const runArgs = (work: string) => [
  '--models',
  'sim_stream_chat',
  '--datasets',
  'crash_gen',
  '--config-dir',
  configDir,
  '--no-tui',
  '-w',
  work,
];

function detailsFile(work: string): string | null {
  if (!existsSync(work)) return null;
  const [run] = readdirSync(work);
  if (!run) return null;
  const f = path.join(work, run, 'performances', 'sim-stream-chat', 'synthetic_details.jsonl');
  return existsSync(f) ? f : null;
}
const lineCount = (f: string | null) => (f ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);

async function waitForLines(work: string, n: number): Promise<string> {
  await vi.waitFor(() => expect(lineCount(detailsFile(work))).toBeGreaterThanOrEqual(n), {
    timeout: 20_000,
    interval: 50,
  });
  return detailsFile(work)!;
}

const successOf = (stdout: string) => Number(/Success Requests\s*│\s*total\s*│\s*(\d+)/.exec(stdout)?.[1] ?? NaN);
const failedOf = (stdout: string) => Number(/Failed Requests\s*│\s*total\s*│\s*(\d+)/.exec(stdout)?.[1] ?? NaN);

describe('interruption', () => {
  it('SIGKILL keeps finished requests; perf_viz --reuse recomputes them, skipping a torn last line', async () => {
    const work = path.join(tmp, 'kill');
    const r = start(runArgs(work));
    const file = await waitForLines(work, 20);
    process.kill(r.child.pid!, 'SIGKILL');
    expect((await r.exit).signal).toBe('SIGKILL');
    // Every line written before the kill is whole (one write per line)...
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const recs = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ok = recs.filter((d) => d.ok && !d.warm).length;
    expect(ok).toBeGreaterThanOrEqual(19);
    // ...then a torn write as a crash in the middle of one would leave.
    appendFileSync(file, '{"id":9999,"turn":0,"ok":true,"att":1,"sched":-1,"t0":12.5,"tt');
    const v = start(['--mode', 'perf_viz', '--reuse', '-w', work, '--no-tui']);
    const { code } = await v.exit;
    expect(code).toBe(0);
    expect(v.out.stdout + v.out.stderr).toMatch(/incomplete last line skipped/);
    expect(successOf(v.out.stdout)).toBe(ok);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the run, prints the tables from finished requests and exits %i', async (signal, expected) => {
    const work = path.join(tmp, signal);
    const r = start(runArgs(work));
    const file = await waitForLines(work, 20);
    process.kill(r.child.pid!, signal);
    const { code } = await r.exit;
    expect(code).toBe(expected);
    const recs = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((d) => !d.warm);
    // Stopped early, and in-flight requests (well under the 2 s grace) finished.
    expect(recs.length).toBeLessThan(400);
    expect(recs.filter((d) => d.code === 'E_ABORTED')).toHaveLength(0);
    expect(successOf(r.out.stdout)).toBe(recs.filter((d) => d.ok).length);
    expect(failedOf(r.out.stdout)).toBe(0);
    const perf = path.dirname(file);
    for (const f of ['synthetic.csv', 'synthetic.json']) expect(existsSync(path.join(perf, f))).toBe(true);
    expect(r.out.stderr).not.toMatch(/\n\s+at /);
  });
});
