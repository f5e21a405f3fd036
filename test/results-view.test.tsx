import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stripAnsi } from '../src/ui/results/ansi.js';
import { ResultsView } from '../src/ui/results/ResultsView.js';
import { loadTheme } from '../src/ui/theme.js';
import { makeResult, threeTasks } from './fixtures-results.js';

const theme = loadTheme('default', {});
const RIGHT = '\u001B[C';
const SHIFT_TAB = '\u001B[Z';
const tmp = mkdtempSync(path.join(tmpdir(), 'results-view-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function setup(
  opts: { results?: ReturnType<typeof threeTasks>; interrupted?: boolean; width?: number; height?: number } = {},
) {
  const onExit = vi.fn();
  const app = render(
    <ResultsView
      results={opts.results ?? threeTasks()}
      runDir="outputs/default/20251106_110904"
      exportDir={tmp}
      interrupted={opts.interrupted ?? false}
      theme={theme}
      onExit={onExit}
      width={opts.width ?? 100}
      height={opts.height ?? 60}
    />,
  );
  const frame = (): string => stripAnsi(app.lastFrame() ?? '');
  // Keys written before Ink's input hook listens would be lost.
  const ready = () => vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
  return { app, onExit, frame, ready };
}

/** Names in the first column of table rows, in display order, among `names`. */
function order(frame: string, names: readonly string[]): string[] {
  return frame
    .split('\n')
    .map((l) => names.find((n) => new RegExp(`^(\\d+\\s+)?${n}\\s`).test(l)))
    .filter((n): n is string => n !== undefined);
}

const METRICS = ['E2EL', 'TTFT', 'TPOT', 'ITL', 'InputTokens', 'OutputTokens', 'OutputTokenThroughput'];
const TASKS = ['model-a/gsm8k', 'model-b/gsm8k', 'model-c/gsm8k'];

// Writing the svg/ansi files takes seconds on a loaded machine (vi.waitFor's default is 1 s).
const SLOW = { timeout: 30_000, interval: 50 };

describe('ResultsView', () => {
  it("a task's rows (different units) do not sort: s says where sorting is", async () => {
    const { app, frame, ready } = setup({ results: [makeResult()] });
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    const before = order(frame(), METRICS);
    app.stdin.write(RIGHT);
    await new Promise((r) => setImmediate(r));
    app.stdin.write('s');
    await vi.waitFor(() => expect(frame()).toContain("sort tasks in the comparison ('v')"));
    expect(order(frame(), METRICS)).toEqual(before);
    expect(frame()).not.toMatch(/[▲▼]/);
    app.unmount();
  });

  it('numbers are compact, right-aligned, units in the row label; every default stat and N fit 120 columns', async () => {
    const { app, frame, ready } = setup({ results: [makeResult()], width: 120 });
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    const f = frame();
    expect(f).toMatch(/^Performance Parameters +Stage +Average +Min +Max +Median +P75 +P90 +P99 +N$/m);
    expect(f).toMatch(/^TTFT \(ms\) +total +/m);
    expect(f).toMatch(/^OutputTokenThroughput \(tok\/s\) +total/m);
    // No table value carries its unit or more than 4 significant digits (plot titles do carry units).
    const lines = f.split('\n');
    const from = lines.findIndex((l) => l.startsWith('Performance Parameters'));
    const table = lines
      .slice(from, lines.indexOf('', from))
      .map((l) => l.slice(0, 100))
      .join('\n');
    expect(table).toContain('OutputTokenThroughput');
    expect(table).not.toMatch(/\d ms|token\/s\b|\d\.\d{5}/);
    for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(120);
    app.unmount();
  });

  it('sorts tasks in the comparison table numerically, and r reverses', async () => {
    const { app, frame, ready } = setup();
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    app.stdin.write('v');
    await vi.waitFor(() => expect(frame()).toContain('TTFT P99'));
    app.stdin.write('s');
    // TTFT P99: b 10.4405 ms, a 11.2098 ms, c 110.2297 ms (string order: b, c, a).
    await vi.waitFor(() => expect(order(frame(), TASKS)).toEqual(['model-b/gsm8k', 'model-a/gsm8k', 'model-c/gsm8k']));
    app.stdin.write('r');
    await vi.waitFor(() => expect(order(frame(), TASKS)).toEqual(['model-c/gsm8k', 'model-a/gsm8k', 'model-b/gsm8k']));
    // Output tok/s: 80.25 < 900.5 < 1000.
    for (let i = 0; i < 3; i++) {
      app.stdin.write(RIGHT);
      await new Promise((r) => setImmediate(r));
    }
    app.stdin.write('s');
    await vi.waitFor(() => expect(frame()).toContain('Output (tok/s) ▲'));
    expect(order(frame(), TASKS)).toEqual(['model-b/gsm8k', 'model-a/gsm8k', 'model-c/gsm8k']);
    app.unmount();
  });

  it('Tab, Shift+Tab and number keys switch tasks', async () => {
    const { app, frame, ready } = setup();
    await ready();
    await vi.waitFor(() => expect(frame()).toMatch(/^model-a\/gsm8k {2}model/m));
    app.stdin.write('\t');
    await vi.waitFor(() => expect(frame()).toMatch(/^model-b\/gsm8k {2}model/m));
    expect(frame()).toContain('E_HTTP_500');
    app.stdin.write(SHIFT_TAB);
    await vi.waitFor(() => expect(frame()).toMatch(/^model-a\/gsm8k {2}model/m));
    app.stdin.write('3');
    await vi.waitFor(() => expect(frame()).toMatch(/^model-c\/gsm8k {2}model/m));
    app.unmount();
  });

  it('t cycles stat presets and the headers follow', async () => {
    const { app, frame, ready } = setup();
    await ready();
    const statHeader = /^Performance Parameters +Stage +(\S+)/m;
    await vi.waitFor(() => expect(statHeader.exec(frame())?.[1]).toBe('Average'));
    app.stdin.write('t');
    await vi.waitFor(() => expect(statHeader.exec(frame())?.[1]).toBe('Median'));
    expect(frame()).toContain('stats: tail');
    expect(frame()).toMatch(/^TTFT \(ms\) +total +10\.2 +11\.12 +11\.17/m);
    app.stdin.write('t');
    await vi.waitFor(() => expect(statHeader.exec(frame())?.[1]).toBe('Average'));
    app.unmount();
  });

  it('says so when results cannot recompute', async () => {
    const { app, frame, ready } = setup({ results: [makeResult({ withRecompute: false })] });
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Median'));
    app.stdin.write('t');
    await vi.waitFor(() => expect(frame()).toContain('recompute unavailable'));
    app.unmount();
  });

  it('q exits with 0, or 130 after an interrupted run', async () => {
    for (const [interrupted, code] of [
      [false, 0],
      [true, 130],
    ] as const) {
      const { app, onExit, frame, ready } = setup({ interrupted });
      await ready();
      await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
      app.stdin.write('q');
      await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(code));
      app.unmount();
    }
  });

  it('keeps frames under height - 1 lines and scrolls with j', async () => {
    const { app, frame, ready } = setup({ width: 80, height: 24 });
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('lines 1-'));
    expect(frame().split('\n').length).toBeLessThanOrEqual(23);
    for (const l of frame().split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
    app.stdin.write('j');
    await vi.waitFor(() => expect(frame()).toContain('lines 2-'));
    expect(frame().split('\n').length).toBeLessThanOrEqual(23);
    app.unmount();
  });

  it('e writes the screen: text equals the frame, plus ansi and svg', async () => {
    const { app, frame, ready } = setup({ width: 100, height: 30 });
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    app.stdin.write('\t');
    await vi.waitFor(() => expect(frame()).toMatch(/^model-b\/gsm8k {2}model/m));
    const before = frame();
    app.stdin.write('e');
    await vi.waitFor(() => expect(frame()).toContain('exported'), SLOW);
    const base = path.join(tmp, 'performances', 'model-b', 'gsm8k_screen');
    expect(frame()).toContain(`${path.join('performances', 'model-b', 'gsm8k_screen')}.{txt,ansi,svg}`);
    expect(readFileSync(`${base}.txt`, 'utf8')).toBe(`${before}\n`);
    expect(stripAnsi(readFileSync(`${base}.ansi`, 'utf8'))).toBe(`${before}\n`);
    expect(readFileSync(`${base}.ansi`, 'utf8')).toMatch(/\u001B\[/);
    expect(readFileSync(`${base}.svg`, 'utf8')).toMatch(/^<svg[^>]*>/);
    app.unmount();
  });

  it('e in the comparison view writes performances/comparison_screen.*', async () => {
    const { app, frame, ready } = setup();
    await ready();
    app.stdin.write('v');
    await vi.waitFor(() => expect(frame()).toContain('TTFT P99'));
    const before = frame();
    app.stdin.write('e');
    await vi.waitFor(() => expect(frame()).toContain('comparison_screen.{txt,ansi,svg}'), SLOW);
    expect(readFileSync(path.join(tmp, 'performances', 'comparison_screen.txt'), 'utf8')).toBe(`${before}\n`);
    app.stdin.write('\t');
    await vi.waitFor(() => expect(frame()).not.toContain('exported'));
    app.unmount();
  });

  it('E exports every task', async () => {
    const { app, frame, ready } = setup();
    await ready();
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    app.stdin.write('E');
    await vi.waitFor(() => expect(frame()).toContain('exported 9 files'), SLOW);
    for (const t of ['model-a', 'model-b', 'model-c']) {
      expect(readFileSync(path.join(tmp, 'performances', t, 'gsm8k_screen.txt'), 'utf8')).toContain(
        `${t}/gsm8k  model qwen`,
      );
    }
    app.unmount();
  });
});
