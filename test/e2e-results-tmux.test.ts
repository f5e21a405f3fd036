/**
 * A real terminal: the demo run in a 120×40 tmux window ends in the results
 * view, in colour, with every default stat column (P99 and N included);
 * 'v' + Right + s sorts the tasks by TPOT P99; e writes the screen files
 * (text equal to the pane); q exits 0, gives the terminal back and leaves a
 * plain summary with the run folder and how to reopen it. Then `view` reopens
 * that run at 80×24 (cut columns marked, Right scrolls) and 200×50 without
 * rewriting a file. The drill-down (l, Enter: ITL sparkline and Gantt) is
 * looked at in both runs, at 120 and at 80 columns.
 * Needs tmux and a built dist/ (`npm test` builds first).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTmux, privateTmux } from './tmux-helpers.js';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(path.join(root, 'dist', 'cli', 'main.js'));

// A private tmux server (own socket), killed in afterAll.
const tmux = privateTmux('results');
const pane = (s = 'e2e'): string => tmux('capture-pane', '-p', '-t', s);
const styled = (s: string): string => tmux('capture-pane', '-p', '-e', '-t', s);
const paneVar = (v: string): string => tmux('display-message', '-p', '-t', 'e2e', `#{${v}}`).trim();
/** Colour codes (SGR 30-37, 90-97, 38;5;n) on a captured screen. */
const colours = (screen: string): number =>
  [...screen.matchAll(/\u001B\[([0-9;]*)m/g)].filter((m) => /(^|;)(3[0-7]|9[0-7]|38;5;\d+)(;|$)/.test(m[1]!)).length;

const work = mkdtempSync(path.join(tmpdir(), 'results-e2e-'));
afterAll(() => {
  tmux.killServer();
  rmSync(work, { recursive: true, force: true });
});

/** TPOT P99 values of the comparison table, in display order (numbers may carry thousands separators). */
function tpotColumn(screen: string): number[] {
  return (
    screen
      .split('\n')
      .map((l) => l.trim().split(/ {2,}/))
      // '#', task, then 6 numbers (the tab line above also starts with a number and a task).
      .filter((cells) => cells.length >= 8 && /^\d+$/.test(cells[0]!) && /^sim-\w+\//.test(cells[1]!))
      .map((cells) => Number(cells[3]!.replace(/,/g, '')))
  );
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const slow = { timeout: 15_000, interval: 100 };

describe.skipIf(!hasTmux || !built)('results view in tmux', () => {
  it('demo → results in colour with P99 and N at 120 columns; compare sorts; e exports; q leaves a summary', async () => {
    const cmd = `node bin/aisbench-tui.mjs --demo --demo-tasks 3 -w '${work}'; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon'; exec sleep 120`;
    tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', '-c', root, cmd);

    await vi.waitFor(() => expect(pane()).toContain('Performance Parameters'), { timeout: 90_000, interval: 250 });
    expect(paneVar('alternate_on')).toBe('1');
    await vi.waitFor(
      () => expect(pane()).toMatch(/^Performance Parameters +Stage +Average +Min +Max +Median +P75 +P90 +P99 +N$/m),
      slow,
    );
    expect(pane()).not.toContain('›');
    expect(colours(styled('e2e'))).toBeGreaterThan(5);

    // e in the task view writes the screen; its text is the pane.
    const screen = pane();
    tmux('send-keys', '-t', 'e2e', 'e');
    await vi.waitFor(() => expect(pane()).toContain('exported performances/'), { timeout: 30_000, interval: 100 });
    const runDir = path.join(work, readdirSync(work)[0]!);
    const perf = path.join(runDir, 'performances');
    const abbr = readdirSync(perf).sort()[0]!;
    const files = readdirSync(path.join(perf, abbr));
    for (const ext of ['txt', 'ansi', 'svg']) expect(files.some((f) => f.endsWith(`_screen.${ext}`))).toBe(true);
    const txt = readFileSync(
      path.join(
        perf,
        abbr,
        files.find((f) => f.endsWith('_screen.txt'))!,
      ),
      'utf8',
    );
    // The exported text is the screen as it was (tmux pads the pane with blank lines).
    expect(txt.trimEnd()).toBe(
      screen
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .trimEnd(),
    );

    // Drill-down at 120 columns: the request list, then one request's ITL and Gantt, in colour; Esc twice back.
    tmux('send-keys', '-t', 'e2e', 'l');
    await vi.waitFor(() => expect(pane()).toMatch(/requests: 200 shown of 200, 0 failed/), slow);
    expect(pane()).toMatch(/Id +Status +TTFT \(ms\) +E2EL \(ms\) +TPOT \(ms\) +Out \(tok\) +In \(tok\) +Sent \(s\)$/m);
    tmux('send-keys', '-t', 'e2e', 'Enter');
    await vi.waitFor(() => expect(pane()).toMatch(/^ITL \(ms\): \d+ gaps/m), slow);
    expect(pane()).toMatch(/^>\s*\d+ \|.*█.*\|$/m);
    expect(colours(styled('e2e'))).toBeGreaterThan(5);
    expect(
      pane()
        .split('\n')
        .every((l) => [...l].length <= 120),
    ).toBe(true);
    tmux('send-keys', '-t', 'e2e', 'Escape');
    await vi.waitFor(() => expect(pane()).toContain('requests: 200 shown'), slow);
    tmux('send-keys', '-t', 'e2e', 'Escape');
    await vi.waitFor(() => expect(pane()).toMatch(/^Performance Parameters/m), slow);

    // Sorting is where rows compare: the tasks of the comparison, by TPOT P99.
    tmux('send-keys', '-t', 'e2e', 'v');
    await vi.waitFor(() => expect(tpotColumn(pane())).toHaveLength(3), slow);
    const first = tpotColumn(pane());
    tmux('send-keys', '-t', 'e2e', 'Right');
    await new Promise((r) => setTimeout(r, 200));
    tmux('send-keys', '-t', 'e2e', 's');
    await vi.waitFor(() => {
      expect(pane()).toContain('TPOT P99 (ms) ▲');
      expect(tpotColumn(pane())).toEqual([...first].sort((a, b) => a - b));
    }, slow);

    tmux('send-keys', '-t', 'e2e', 'q');
    await vi.waitFor(() => expect(pane()).toContain('EXIT=0'), slow);
    await vi.waitFor(() => expect(pane()).toMatch(/^icanon$/m), slow);
    expect(paneVar('alternate_on')).toBe('0');
    expect(paneVar('cursor_flag')).toBe('1');
    const after = pane();
    expect(after).not.toContain('Performance Parameters');
    // The plain summary stays: one line per task, the folder, how to reopen.
    expect(after).toContain(`3 task(s) done; results in ${runDir}`);
    expect(after).toMatch(
      /^ {2}sim-a\/synthetic-demo\n {4}200 ok, 0 failed; [\d.,]+ req\/s; TTFT [\d.,]+ ms \(P99 [\d.,]+\); TPOT [\d.,]+ ms; [\d.,]+ tok\/s$/m,
    );
    expect(after).toContain(`reopen: aisbench-tui view ${path.basename(runDir)} -w ${work}`);
  }, 180_000);

  it('view reopens the run at 80×24 and 200×50, in colour, without rewriting a file', async () => {
    const runDir = path.join(work, readdirSync(work)[0]!);
    const before = hashes(runDir);
    const ts = path.basename(runDir);
    tmux(
      'new-session',
      '-d',
      '-s',
      'v80',
      '-x',
      '80',
      '-y',
      '24',
      '-c',
      root,
      `node bin/aisbench-tui.mjs view ${ts} -w '${work}'; exec sleep 60`,
    );
    tmux(
      'new-session',
      '-d',
      '-s',
      'v200',
      '-x',
      '200',
      '-y',
      '50',
      '-c',
      root,
      `node bin/aisbench-tui.mjs view '${runDir}'; exec sleep 60`,
    );
    await vi.waitFor(() => expect(pane('v80')).toContain('Performance Parameters'), { timeout: 60_000, interval: 200 });
    await vi.waitFor(() => expect(pane('v200')).toContain('Performance Parameters'), {
      timeout: 60_000,
      interval: 200,
    });
    // 80 columns: the columns that do not fit are marked, and Right brings them in.
    const narrow = pane('v80');
    expect(narrow).toMatch(/^Performance Parameters .* ›$/m);
    expect(narrow.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    expect(colours(styled('v80'))).toBeGreaterThan(5);
    for (let i = 0; i < 7; i++) tmux('send-keys', '-t', 'v80', 'Right');
    await vi.waitFor(() => expect(pane('v80')).toMatch(/^Performance Parameters +Stage ?‹ .*P99 +N$/m), slow);
    // 200 columns: everything at once.
    expect(pane('v200')).toMatch(/^Performance Parameters +Stage +Average +Min +Max +Median +P75 +P90 +P99 +N/m);
    expect(colours(styled('v200'))).toBeGreaterThan(5);
    // The drill-down of a saved run, at 80 columns.
    tmux('send-keys', '-t', 'v80', 'l');
    await vi.waitFor(() => expect(pane('v80')).toMatch(/requests: 200 shown of 200/), slow);
    tmux('send-keys', '-t', 'v80', 'Enter');
    await vi.waitFor(() => expect(pane('v80')).toMatch(/^ITL \(ms\): \d+ gaps/m), slow);
    expect(pane('v80')).toMatch(/^>\s*\d+ \|.*█.*\|$/m);
    expect(
      pane('v80')
        .split('\n')
        .every((l) => [...l].length <= 80),
    ).toBe(true);
    expect(colours(styled('v80'))).toBeGreaterThan(5);
    tmux('send-keys', '-t', 'v80', 'q');
    tmux('send-keys', '-t', 'v200', 'q');
    await vi.waitFor(() => expect(pane('v80')).toContain('reopen: aisbench-tui view'), slow);
    expect(hashes(runDir)).toEqual(before);
  }, 120_000);
});
