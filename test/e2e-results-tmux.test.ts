/**
 * A real terminal: the demo run in a 120×40 tmux window ends in the results
 * view; Right + s reorders rows by the Min column; e writes the screen files
 * (text equal to the pane); q exits 0 and gives the terminal back.
 * Needs tmux and a built dist/ (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const built = existsSync(path.join(root, 'dist', 'cli', 'main.js'));

// A private tmux server (own socket), killed in afterAll.
const socket = `aisbench-results-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const pane = (): string => tmux('capture-pane', '-p', '-t', 'e2e');
const paneVar = (v: string): string => tmux('display-message', '-p', '-t', 'e2e', `#{${v}}`).trim();

const work = mkdtempSync(path.join(tmpdir(), 'results-e2e-'));
afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true });
});

/** Min-column values of the perf table's rows, in display order. */
function minColumn(screen: string): number[] {
  const lines = screen.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Performance Parameters'));
  const out: number[] = [];
  for (const l of lines.slice(start + 2)) {
    const cells = l.split(/ {2,}/);
    if (cells.length < 4 || !/^(total|stable)$/.test(cells[1] ?? '')) break;
    out.push(Number.parseFloat(cells[3]!));
  }
  return out;
}

describe.skipIf(!hasTmux || !built)('results view in tmux', () => {
  it('demo → results; Right+s sorts; e exports; q exits 0 and restores the terminal', async () => {
    const cmd = `node bin/aisbench-tui.mjs --demo --demo-tasks 3 -w '${work}'; echo "EXIT=$?"; stty -a | grep -o -- '-\\?icanon'; exec sleep 120`;
    tmux('new-session', '-d', '-s', 'e2e', '-x', '120', '-y', '40', '-c', root, cmd);

    await vi.waitFor(() => expect(pane()).toContain('Performance Parameters'), { timeout: 90_000, interval: 250 });
    expect(paneVar('alternate_on')).toBe('1');
    // A capture can land mid-frame: take the table once two captures agree.
    let first: number[] = [];
    await vi.waitFor(
      () => {
        const a = minColumn(pane());
        first = minColumn(pane());
        expect(first).toEqual(a);
        expect(first.length).toBeGreaterThan(4);
      },
      { timeout: 10_000, interval: 100 },
    );

    tmux('send-keys', '-t', 'e2e', 'Right');
    await vi.waitFor(() => expect(pane()).toMatch(/Min\s/), { timeout: 10_000, interval: 100 });
    tmux('send-keys', '-t', 'e2e', 's');
    const ascending = [...first].sort((a, b) => a - b);
    let screen = '';
    await vi.waitFor(
      () => {
        screen = pane();
        expect(screen).toContain('Min ▲');
        expect(minColumn(screen)).toEqual(ascending);
      },
      { timeout: 10_000, interval: 100 },
    );
    // TTFT's minimum is below E2EL's, so the seed order (E2EL first) changed.
    expect(ascending).not.toEqual(first);

    tmux('send-keys', '-t', 'e2e', 'e');
    await vi.waitFor(() => expect(pane()).toContain('exported performances/'), { timeout: 10_000, interval: 100 });
    const runDir = path.join(work, readdirSync(work)[0]!);
    const perf = path.join(runDir, 'performances');
    const abbr = readdirSync(perf).sort()[0]!;
    const files = readdirSync(path.join(perf, abbr));
    for (const ext of ['txt', 'ansi', 'svg']) expect(files.some((f) => f.endsWith(`_screen.${ext}`))).toBe(true);
    const txt = readFileSync(path.join(perf, abbr, files.find((f) => f.endsWith('_screen.txt'))!), 'utf8');
    // The exported text is the screen as it was (tmux pads the pane with blank lines).
    expect(txt.trimEnd()).toBe(screen.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd());

    tmux('send-keys', '-t', 'e2e', 'q');
    await vi.waitFor(() => expect(pane()).toContain('EXIT=0'), { timeout: 15_000, interval: 100 });
    await vi.waitFor(() => expect(pane()).toMatch(/^icanon$/m), { timeout: 5_000, interval: 100 });
    expect(paneVar('alternate_on')).toBe('0');
    expect(paneVar('cursor_flag')).toBe('1');
    expect(pane()).not.toContain('Performance Parameters');
  }, 150_000);
});
