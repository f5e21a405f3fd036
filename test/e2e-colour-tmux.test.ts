/**
 * Colour in a real terminal (tmux, its own socket): the board and the results
 * view carry style codes (colour, bold, inverse) even with CI set in the
 * environment, as CI jobs do; FORCE_COLOR=0 turns every style off.
 * `capture-pane -e` keeps the SGR sequences the program wrote.
 * Needs tmux and a built dist/ (`npm test` builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
const SOCKET = `aisbench-colour-${process.pid}`;
const work = mkdtempSync(path.join(tmpdir(), 'aisbench-colour-'));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.trim()}`);
  return r.stdout;
}
const styled = (s: string): string => tmux('capture-pane', '-p', '-e', '-t', s);
const plain = (s: string): string => tmux('capture-pane', '-p', '-t', s);

/** The SGR parameter lists (`ESC [ ... m`) on a captured screen, resets excluded. */
function sgr(screen: string): string[] {
  return [...screen.matchAll(/\u001B\[([0-9;]*)m/g)]
    .map((m) => m[1]!)
    .filter((p) => p !== '' && p !== '0' && p !== '39' && p !== '49');
}
const hasColour = (codes: string[]) => codes.some((c) => /(^|;)(3[0-7]|9[0-7]|38;5;\d+)(;|$)/.test(c));
const hasBold = (codes: string[]) => codes.some((c) => /(^|;)1(;|$)/.test(c));
const hasInverse = (codes: string[]) => codes.some((c) => /(^|;)7(;|$)/.test(c));

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(work, { recursive: true, force: true });
});

const slow = { timeout: 90_000, interval: 100 };

describe.skipIf(!hasTmux || !built)('colour in a real terminal (tmux)', () => {
  it('board and results view are styled, with CI=true in the environment', { timeout: 180_000 }, async () => {
    const out = path.join(work, 'a');
    // 400 requests per task at concurrency 8: the board stays up for seconds.
    const cmd = `env CI=true TERM=xterm-256color node bin/aisbench-tui.mjs --demo --demo-tasks 2 -w '${out}'; exec sleep 120`;
    tmux('new-session', '-d', '-s', 'a', '-x', '120', '-y', '40', '-c', ROOT, cmd);
    await vi.waitFor(() => expect(plain('a')).toContain('Task Progress Table'), slow);
    const board = styled('a');
    expect(board).toContain('Task Progress Table');
    const b = sgr(board);
    expect(hasColour(b), 'board has colour codes').toBe(true);
    expect(hasBold(b), 'board has bold').toBe(true);

    await vi.waitFor(() => expect(plain('a')).toContain('Performance Parameters'), slow);
    const results = sgr(styled('a'));
    expect(hasColour(results), 'results view has colour codes').toBe(true);
    expect(hasBold(results)).toBe(true);
    // The active tab and the column cursor are drawn in inverse video.
    expect(hasInverse(results), 'results view has inverse video').toBe(true);
    tmux('send-keys', '-t', 'a', 'q');
  });

  it('FORCE_COLOR=0 turns every style off', { timeout: 180_000 }, async () => {
    const out = path.join(work, 'b');
    const cmd = `env FORCE_COLOR=0 TERM=xterm-256color node bin/aisbench-tui.mjs --demo --demo-tasks 1 -w '${out}'; exec sleep 120`;
    tmux('new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', '-c', ROOT, cmd);
    await vi.waitFor(() => expect(plain('b')).toContain('Performance Parameters'), slow);
    expect(sgr(styled('b'))).toEqual([]);
    tmux('send-keys', '-t', 'b', 'q');
  });
});
