/**
 * A sweep in a real terminal (tmux): the four points are four rows of the
 * live board, then the capacity view with its braille curves, Enter to the
 * task results, `c` back, `q` out with exit 0. Against the batch simulator.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startBatchSimulator } from '../src/sim/index.js';
import { BIN, ROOT } from './capacity-cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `aisbench-cap-${process.pid}`;
const PROMPT = 'cap-prompt> ';
const work = mkdtempSync(path.join(tmpdir(), 'aisbench-cap-'));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.trim()}`);
  return r.stdout;
}
const screen = (): string => tmux('capture-pane', '-p', '-t', 'cap');
const send = (...keys: string[]): void => void tmux('send-keys', '-t', 'cap', ...keys);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('a sweep in a real terminal (tmux 160x40)', () => {
  it('shows four rows live, then the curves; Enter, c and q', { timeout: 300_000 }, async () => {
    expect(existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')), 'build first').toBe(true);
    const slow = { timeout: 120_000, interval: 200 };
    const sim = await startBatchSimulator({ maxNumSeqs: 16, stepBaseMs: 4, stepPerSeqMs: 0.25 });
    try {
      const data = path.join(work, 'p.jsonl');
      writeFileSync(
        data,
        Array.from({ length: 48 }, (_, i) => JSON.stringify({ prompt: `hello ${i}`, max_out_len: 24 })).join('\n') +
          '\n',
      );
      tmux(
        'new-session',
        '-d',
        '-x',
        '160',
        '-y',
        '40',
        '-s',
        'cap',
        '-c',
        work,
        `env PS1='${PROMPT}' bash --norc --noprofile`,
      );
      await vi.waitFor(() => expect(screen()).toContain(PROMPT.trim()), slow);
      send(
        '-l',
        `node ${BIN} --models vllm_api_stream_chat --datasets custom --dataset-path ${data} --url ${sim.url} --num-warmups 0 --sweep concurrency=1,4,16,64 --slo 'ttft:p99<=100' -w ${path.join(work, 'out')}`,
      );
      send('Enter');
      // Live: all four points are rows of the board while the first one runs.
      await vi.waitFor(() => {
        const s = screen();
        expect(s).toContain('Total 4 rows of data');
        // The name column may cut the model name in the middle: the point label stays.
        for (const c of [1, 4, 16, 64]) expect(s).toMatch(new RegExp(`custom @c=${c} `));
        expect(s).toMatch(/@c=1 .*(inferencing|warmup)/);
      }, slow);
      // After: the capacity view with the curves and the points.
      await vi.waitFor(() => expect(screen()).toContain('Capacity: concurrency sweep'), slow);
      const cap = screen();
      expect(cap).toContain('Output token throughput');
      expect(cap).toMatch(/[\u2801-\u28ff]/);
      send('Enter');
      await vi.waitFor(() => expect(screen()).toMatch(/^Results/m), slow);
      await vi.waitFor(() => {
        send('c');
        expect(screen()).toContain('Capacity: concurrency sweep');
      }, slow);
      send('q');
      await vi.waitFor(() => expect(screen().trimEnd().split('\n').at(-1)).toBe(PROMPT.trimEnd()), slow);
      send('-l', 'echo EXIT=$?');
      send('Enter');
      await vi.waitFor(() => expect(screen()).toMatch(/EXIT=0/), slow);
    } finally {
      await sim.close();
    }
  });
});
