/**
 * A real terminal: --demo --mode all in a 120×40 tmux window shows the board,
 * then the accuracy results view; Tab opens the task's samples, Enter one
 * sample (prompt, output, extracted answer, reference); q exits 0 and gives
 * the terminal back. Needs tmux and a built dist/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTmux, privateTmux } from './tmux-helpers.js';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(path.join(root, 'dist', 'cli', 'main.js'));
// A private tmux server (own socket), killed in afterAll.
const tmux = privateTmux('accuracy');
const pane = (): string => tmux('capture-pane', '-p', '-t', 'acc');
const work = mkdtempSync(path.join(tmpdir(), 'acc-tmux-'));
afterAll(() => {
  tmux.killServer();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasTmux || !built)('accuracy results view in tmux', () => {
  it('board → summary → samples → one sample → q exits 0', async () => {
    // A slow simulated model (TTFT 300 ms), answering from the demo's answer key, 2 at a
    // time over 60 questions: the board stays up for ~15 s even when a loaded machine
    // takes seconds to paint the first frame.
    const dir = path.join(work, 'cfg');
    mkdirSync(path.join(dir, 'models'), { recursive: true });
    const key = path.join(root, 'src/config/builtin/data/demo_gsm8k.jsonl');
    writeFileSync(
      path.join(dir, 'models', 'slow_sim.yaml'),
      `abbr: slow-sim\napi: chat\nmodel: sim-model\nstream: true\nretry: 0\nmax_out_len: 64\nbatch_size: 2\n` +
        `sim:\n  ttft_ms: 300\n  itl_ms: 10\n  answer_key: '${key}'\n  accuracy: 0.7\n`,
    );
    const cmd = `node bin/aisbench-tui.mjs --mode all --config-dir '${dir}' --models slow_sim --datasets demo_gsm8k --dataset-path '${key}' --num-prompts 60 -w '${work}/out'; echo "EXIT=$?"; exec sleep 120`;
    tmux('new-session', '-d', '-s', 'acc', '-x', '200', '-y', '40', '-c', root, cmd);
    const slow = { timeout: 90_000, interval: 200 };
    // The same board as perf, with the infer log as Log Path.
    // (The column is shortened with an ellipsis to fit: logs/infer/…o_gsm8k.out.)
    await vi.waitFor(
      () => expect(pane()).toMatch(/slow-sim\/demo_gsm8k .*(waiting|inferencing) .*logs\/infer\/\S*\.out/),
      slow,
    );
    await vi.waitFor(() => expect(pane()).toMatch(/demo_gsm8k +\w{6} +accuracy +gen +\d+\.\d\d/), slow);
    expect(pane()).toMatch(/dataset +version +metric +mode +slow-sim/);
    tmux('send-keys', '-t', 'acc', 'Tab');
    await vi.waitFor(() => expect(pane()).toMatch(/all 60 +correct \d+ +wrong \d+ +failed 0/), slow);
    tmux('send-keys', '-t', 'acc', 'Enter');
    await vi.waitFor(() => expect(pane()).toContain('Reference: '), slow);
    expect(pane()).toMatch(/Extracted: -?\d+/);
    expect(pane()).toContain('Question: ');
    expect(pane()).toMatch(/#### -?\d+/);
    tmux('send-keys', '-t', 'acc', 'q');
    await vi.waitFor(() => expect(pane()).toContain('EXIT=0'), slow);
  }, 240_000);
});
