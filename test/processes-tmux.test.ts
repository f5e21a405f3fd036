/**
 * --processes in a real terminal (tmux, its own socket): one board row for
 * the task of two child processes (POST counts of both), then the results
 * view of the merged run, then the per-shard breakdown after 'q'.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bin } from './shard-cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `aisbench-procs-${process.pid}`;
const work = mkdtempSync(path.join(tmpdir(), 'aisb-procs-tmux-'));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.trim()}`);
  return r.stdout;
}
const screen = (): string => tmux('capture-pane', '-p', '-t', 'p');

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('--processes 2 on a terminal', () => {
  it(
    'shows one board for both processes, then the merged results and the breakdown',
    { timeout: 240_000 },
    async () => {
      const slow = { timeout: 120_000, interval: 200 };
      tmux(
        'new-session',
        '-d',
        '-x',
        '200',
        '-y',
        '40',
        '-s',
        'p',
        '-c',
        work,
        `node ${bin} --demo --processes 2 -w out; echo EXITED $?; sleep 60`,
      );
      // The demo is 100 requests; 2 processes run 100 each, so the row counts to 200.
      await vi.waitFor(() => expect(screen()).toMatch(/sim-stream-chat\/synthetic-demo .*\/200 \[/), slow);
      expect(screen()).toMatch(/Page: 1\/1 {2}Total 1 rows of data/);
      await vi.waitFor(() => expect(screen()).toMatch(/Total Requests +total +200/), slow);
      tmux('send-keys', '-t', 'p', 'q');
      await vi.waitFor(() => expect(screen()).toMatch(/EXITED 0/), slow);
      expect(screen()).toMatch(/merged 2 shards into .*out/);
      expect(screen().match(/^sim-stream-chat\/synthetic-demo +[01] +\S+ +100 +100 /gm)).toHaveLength(2);
    },
  );
});
