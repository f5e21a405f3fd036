/**
 * run/controller.ts, the owner of signals, teardown order and exit codes:
 * - units: steps run in TEARDOWN_STEPS order whatever the registration
 *   order, each once; a failing step does not skip the rest; the exit rule;
 * - the built CLI (`--no-tui`, embedded simulator) per way out: normal end
 *   (0), Ctrl+C twice (130, in-flight cancelled at the second one, the files
 *   agree with each other), SIGHUP (ends by the signal, details whole) and a
 *   crash injected with AISBENCH_TUI_TEST_CRASH_MS (one line, exit 1,
 *   details whole). Ctrl+C once and SIGTERM: test/crash.test.ts; every
 *   request failed (exit 1): test/faults-cli.test.ts.
 * Needs dist/ (`npx tsc -p .`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { perfExit, RunController, stoppedExit, TEARDOWN_STEPS, type RunOutcome } from '../src/run/controller.js';
import { hasTmux, privateTmux } from './tmux-helpers.js';
import { startCli, type CliRun } from './cli-helpers.js';

describe('RunController teardown', () => {
  it('runs the steps in TEARDOWN_STEPS order, each once, whatever the order of registration', async () => {
    const ctl = new RunController();
    const ran: string[] = [];
    for (const step of [...TEARDOWN_STEPS].reverse()) ctl.on(step, () => ran.push(step));
    // A normal end flushes the files early; teardown does not run that step again.
    await ctl.run('flush files');
    await ctl.run('flush files');
    await ctl.teardown();
    await ctl.teardown();
    expect(ran).toEqual(['flush files', 'signal handlers off', 'stop jobs', 'close board', 'close simulators']);
  });

  it('a step that throws is reported in one line and the later steps still run', async () => {
    const ran: string[] = [];
    const warned: string[] = [];
    const ctl = new RunController({ warn: (line) => warned.push(line) });
    ctl.on('close board', () => {
      throw new Error('board gone\nsecond line');
    });
    ctl.on('close simulators', async () => {
      await new Promise((r) => setTimeout(r, 10));
      ran.push('close simulators');
    });
    await ctl.teardown();
    expect(ran).toEqual(['close simulators']);
    expect(warned).toEqual(["aisbench-tui: teardown step 'close board' failed: board gone\n"]);
    // The crash handler is gone once torn down.
    expect(process.listeners('uncaughtException')).not.toContain((ctl as unknown as { onCrash: unknown }).onCrash);
  });
});

describe('RunController.onSignals (the --processes parent, watch, and watch() of a perf run)', () => {
  it('the first signal stops once whatever the route, a repeat within 300 ms is dropped, a later one forces; teardown removes the handlers', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(1_000_000);
      const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
      const ctl = new RunController();
      const log: string[] = [];
      ctl.onSignals(
        (s) => log.push(`stop ${s}`),
        (s) => log.push(`force ${s}`),
      );
      // Called directly, not emitted: the test runner's own signal listeners stay out of it.
      const term = process.listeners('SIGTERM').at(-1) as () => void;
      const int = process.listeners('SIGINT').at(-1) as () => void;
      term();
      expect(ctl.signal).toBe('SIGTERM');
      ctl.requestStop(); // the board's stop key after the signal: already stopping
      vi.setSystemTime(1_000_000 + 200);
      int(); // 200 ms after the first: signal-exit's echo of one kill, dropped
      vi.setSystemTime(1_000_000 + 301);
      int(); // 301 ms after: the user means it
      ctl.requestForce();
      expect(log).toEqual(['stop SIGTERM', 'force SIGINT', 'force SIGINT']);
      expect(ctl.signal).toBe('SIGTERM');
      await ctl.teardown();
      expect({ int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') }).toEqual(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the stop key before any signal counts as SIGINT', async () => {
    const ctl = new RunController();
    const log: string[] = [];
    ctl.onSignals(
      (s) => log.push(`stop ${s}`),
      (s) => log.push(`force ${s}`),
    );
    ctl.requestStop();
    ctl.requestStop();
    expect(log).toEqual(['stop SIGINT']);
    expect(ctl.signal).toBe('SIGINT');
    expect(ctl.stopping).toBe(true);
    await ctl.teardown();
  });
});

describe('stoppedExit (the --processes parent, watch)', () => {
  it.each([
    ['merged after a clean end', null, false, 0, 0],
    ['merge refused (its code)', null, false, 2, 2],
    ['SIGTERM to the parent', 'SIGTERM', false, 0, 143],
    ['SIGINT to the parent', 'SIGINT', false, 0, 130],
    ['a child stopped by its own signal', null, true, 0, 130],
    ['SIGTERM wins over a child interrupted', 'SIGTERM', true, 0, 143],
  ] as const)('%s', (_name, signal, interrupted, code, want) => {
    expect(stoppedExit(signal, interrupted, code)).toBe(want);
  });
});

describe('perfExit', () => {
  const base: RunOutcome = {
    signal: null,
    interrupted: false,
    hasResults: true,
    allFailed: false,
    allFailedMessage: 'every request failed',
    fatal: null,
    writeFailure: undefined,
    localFailure: undefined,
  };
  it.each([
    ['a clean end', {}, 0, undefined],
    ['SIGINT', { signal: 'SIGINT' }, 130, undefined],
    ['SIGTERM', { signal: 'SIGTERM' }, 143, undefined],
    ['a stop key (interrupted, no signal)', { interrupted: true }, 130, undefined],
    ['every request failed', { allFailed: true }, 1, 'every request failed'],
    // A stopped run whose finished requests all failed keeps the signal's code and says nothing.
    ['every request failed, then SIGINT', { allFailed: true, signal: 'SIGINT' }, 130, undefined],
    ['a fatal error without results', { fatal: new Error('boom'), hasResults: false, allFailed: false }, 1, 'boom'],
    ['a fatal error outranks every request failed', { fatal: new Error('boom'), hasResults: false }, 1, 'boom'],
    ['a fatal error after SIGTERM keeps 143', { fatal: new Error('boom'), signal: 'SIGTERM' }, 143, 'boom'],
    ['a write failure', { writeFailure: new Error('disk full') }, 1, 'disk full'],
    ['a local limit', { localFailure: 'too many open files' }, 1, 'too many open files'],
    [
      'every request failed names itself before a local limit',
      { allFailed: true, localFailure: 'EMFILE' },
      1,
      'every request failed',
    ],
  ] as const)('%s', (_name, over, code, message) => {
    expect(perfExit({ ...base, ...(over as Partial<RunOutcome>) })).toEqual({ code, message });
  });
});

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'aisbench-ctl-'));
const children: ChildProcess[] = [];
const tmux = privateTmux('ctl');
afterAll(() => {
  if (hasTmux) tmux.killServer();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const configDir = path.join(tmp, 'config');
mkdirSync(path.join(configDir, 'datasets'), { recursive: true });
mkdirSync(path.join(configDir, 'models'), { recursive: true });
const dataset = (name: string, count: number, out: number): void =>
  writeFileSync(
    path.join(configDir, 'datasets', `${name}.yaml`),
    [
      'abbr: synthetic',
      'type: synthetic',
      'synthetic:',
      '  Type: string',
      `  RequestCount: ${count}`,
      '  StringConfig:',
      '    Input: {Method: uniform, Params: {MinValue: 20, MaxValue: 20}}',
      `    Output: {Method: uniform, Params: {MinValue: ${out}, MaxValue: ${out}}}`,
      '',
    ].join('\n'),
  );
// Fast: sim_stream_chat (TTFT 50 ms, ITL 5 ms, 16 at once), 16 output tokens.
dataset('ctl_small', 24, 16);
dataset('ctl_long', 400, 32);
// Slow: 4 streams of 200 tokens 20 ms apart (~4 s each), so requests are in flight at both Ctrl+C.
dataset('ctl_slow', 8, 200);
writeFileSync(
  path.join(configDir, 'models', 'ctl_slow_sim.yaml'),
  [
    'abbr: ctl-slow',
    'api: chat',
    'model: sim-model',
    'url: ""',
    'stream: true',
    'request_rate: 0',
    'retry: 0',
    'max_out_len: 200',
    'batch_size: 4',
    'generation_kwargs: {ignore_eos: true}',
    'sim: {engine: fixed, ttft_ms: 20, itl_ms: 20, jitter_ms: 0, tokens_per_chunk: 1}',
    '',
  ].join('\n'),
);

type Run = CliRun;

function start(model: string, data: string, work: string, env: Record<string, string> = {}): Run {
  const run = startCli(['--models', model, '--datasets', data, '--config-dir', configDir, '--no-tui', '-w', work], env);
  children.push(run.child);
  return run;
}

function runDir(work: string): string {
  const [run] = existsSync(work) ? readdirSync(work) : [];
  return run ? path.join(work, run) : '';
}
const perfDir = (work: string, abbr: string) => path.join(runDir(work), 'performances', abbr);
const details = (work: string, abbr: string) => path.join(perfDir(work, abbr), 'synthetic_details.jsonl');
/** Every line of the details file parses (whole lines only); the records, warm-ups left out. */
function records(file: string): Array<{ ok: boolean; code?: string; warm?: boolean }> {
  const text = readFileSync(file, 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((d) => !d.warm);
}
const lineCount = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);
const numberOf = (stdout: string, row: string) =>
  Number(new RegExp(`${row}\\s*│\\s*total\\s*│\\s*(\\d+)`).exec(stdout)?.[1] ?? NaN);
const stamp = (line: string) => {
  const m = /^\[(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+),(\d+)\]/.exec(line)!;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime();
};

describe('the CLI through the controller, per way out', () => {
  it('a normal end: exit 0, every request in the tables and the files', async () => {
    const work = path.join(tmp, 'normal');
    const r = start('sim_stream_chat', 'ctl_small', work);
    expect(await r.exit).toEqual({ code: 0, signal: null });
    expect(r.out.stderr).toBe('');
    expect(records(details(work, 'sim-stream-chat')).filter((d) => d.ok)).toHaveLength(24);
    expect(numberOf(r.out.stdout, 'Success Requests')).toBe(24);
    for (const f of ['synthetic.csv', 'synthetic.json'])
      expect(existsSync(path.join(perfDir(work, 'sim-stream-chat'), f))).toBe(true);
  });

  it('Ctrl+C twice: the second cancels what is in flight (before the 2 s grace), exit 130, files agree', async () => {
    const work = path.join(tmp, 'twice');
    const r = start('ctl_slow_sim', 'ctl_slow', work);
    const log = () => path.join(runDir(work), 'logs', 'performance', 'ctl-slow', 'synthetic.out');
    // After the warm-up request (~4 s) the measured streams open; let them run a little.
    await vi.waitFor(() => expect(existsSync(log()) && /warmup done/.test(readFileSync(log(), 'utf8'))).toBe(true), {
      timeout: 30_000,
      interval: 50,
    });
    await new Promise((res) => setTimeout(res, 800));
    process.kill(r.child.pid!, 'SIGINT');
    await vi.waitFor(() => expect(readFileSync(log(), 'utf8')).toMatch(/stop requested/), {
      timeout: 10_000,
      interval: 20,
    });
    // More than the 300 ms echo guard after the first.
    await new Promise((res) => setTimeout(res, 500));
    process.kill(r.child.pid!, 'SIGINT');
    expect(await r.exit).toEqual({ code: 130, signal: null });
    const lines = readFileSync(log(), 'utf8').split('\n');
    const stopAt = stamp(lines.find((l) => /stop requested/.test(l))!);
    const cancelAt = stamp(lines.find((l) => /cancelling \d+ in-flight/.test(l))!);
    // The grace would cancel at +2000 ms; the second Ctrl+C came at ~+500 ms (loose bound for a loaded machine).
    expect(cancelAt - stopAt).toBeLessThan(1700);
    const recs = records(details(work, 'ctl-slow'));
    // 200 tokens x 20 ms: nothing had finished, the four in flight were cancelled, the other four never sent.
    expect(recs.filter((d) => d.code === 'E_ABORTED').length).toBeGreaterThan(0);
    expect(recs.length).toBeLessThan(8);
    expect(numberOf(r.out.stdout, 'Success Requests') + numberOf(r.out.stdout, 'Failed Requests')).toBe(recs.length);
    for (const f of ['synthetic.csv', 'synthetic.json'])
      expect(existsSync(path.join(perfDir(work, 'ctl-slow'), f))).toBe(true);
    expect(r.out.stderr).not.toMatch(/\n\s+at /);
  });

  it('SIGHUP ends the run by the signal; the details file keeps whole lines', async () => {
    const work = path.join(tmp, 'hup');
    const r = start('sim_stream_chat', 'ctl_long', work);
    await vi.waitFor(() => expect(lineCount(details(work, 'sim-stream-chat'))).toBeGreaterThanOrEqual(20), {
      timeout: 20_000,
      interval: 50,
    });
    process.kill(r.child.pid!, 'SIGHUP');
    expect(await r.exit).toEqual({ code: null, signal: 'SIGHUP' });
    const recs = records(details(work, 'sim-stream-chat'));
    expect(recs.filter((d) => d.ok).length).toBeGreaterThanOrEqual(20);
    expect(recs.length).toBeLessThan(400);
  });

  it('a crash: one line on stderr (no stack), exit 1, the details file whole', async () => {
    const work = path.join(tmp, 'crash');
    const r = start('sim_stream_chat', 'ctl_long', work, { AISBENCH_TUI_TEST_CRASH_MS: '1500' });
    expect(await r.exit).toEqual({ code: 1, signal: null });
    expect(r.out.stderr).toBe(
      'aisbench-tui: internal error: injected crash (AISBENCH_TUI_TEST_CRASH_MS) (run with --debug for details)\n',
    );
    const recs = records(details(work, 'sim-stream-chat'));
    expect(recs.length).toBeLessThan(400);
    expect(existsSync(path.join(runDir(work), 'configs'))).toBe(true);
  });
});

describe("the sim command stops on the controller's signal", () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the simulator closes and the command exits 0', async (sig) => {
    const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--ttft', '0', '--itl', '0'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    await vi.waitFor(() => expect(out).toMatch(/simulator listening on http:\/\/127\.0\.0\.1:\d+/), {
      timeout: 20_000,
      interval: 50,
    });
    child.kill(sig);
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/simulator stopped after 0 requests\n$/);
  });
});

describe.skipIf(!hasTmux)('a crash under the board (tmux 100x24)', () => {
  it('leaves the alternate screen, prints one line, exit 1', { timeout: 90_000 }, async () => {
    const slow = { timeout: 45_000, interval: 200 };
    const PROMPT = 'ctl-prompt> ';
    const work = path.join(tmp, 'tui-crash');
    tmux(
      'new-session',
      '-d',
      '-x',
      '100',
      '-y',
      '24',
      '-s',
      'crash',
      '-c',
      tmp,
      `env PS1='${PROMPT}' bash --norc --noprofile`,
    );
    const shot = (): string => tmux('capture-pane', '-p', '-J', '-t', 'crash');
    await vi.waitFor(() => expect(shot().trimEnd().split('\n').at(-1)).toBe(PROMPT.trimEnd()), slow);
    const cmd = `AISBENCH_TUI_TEST_CRASH_MS=2500 node ${bin} --models sim_stream_chat --datasets ctl_long --config-dir ${configDir} -w ${work}; echo EXIT=$?`;
    tmux('send-keys', '-t', 'crash', '-l', cmd);
    tmux('send-keys', '-t', 'crash', 'Enter');
    await vi.waitFor(() => expect(shot()).toContain('Task Progress Table'), slow);
    await vi.waitFor(() => expect(shot()).toMatch(/EXIT=1/), slow);
    const after = shot();
    expect(after).toContain(
      'aisbench-tui: internal error: injected crash (AISBENCH_TUI_TEST_CRASH_MS) (run with --debug for details)',
    );
    // The board was on the alternate screen: back on the main one, only the command and the error remain.
    expect(after).not.toContain('Task Progress Table');
    expect(after).not.toMatch(/\n\s+at /);
    expect(records(details(work, 'sim-stream-chat')).length).toBeLessThan(400);
  });
});
