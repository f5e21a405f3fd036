/**
 * The prefix cache hit rate as the live board shows it, in a real terminal
 * (#15): a shared-prefix synthetic workload against the batch simulator, the
 * board read from tmux's capture-pane while the run goes on, compared with the
 * simulator's own counters (prefix_cache_hits / prefix_cache_queries) read at
 * the same moment: within 1 percentage point.
 * Needs tmux and a built dist/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBatchSimulator, type SimServer } from '../src/sim/index.js';
import { send } from './sim-client.js';
import { hasTmux, privateTmux } from './tmux-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');
const built = existsSync(path.join(root, 'dist', 'cli', 'main.js'));
const tmux = privateTmux('prefix-board');
const pane = (): string => tmux('capture-pane', '-p', '-t', 'pb');
const dir = mkdtempSync(path.join(tmpdir(), 'aisb-prefix-board-'));
let sim: SimServer;

beforeAll(async () => {
  // 5 ms + 0.2 ms/seq steps, 16-token blocks: see README "The load-aware simulator".
  sim = await startBatchSimulator({ stepBaseMs: 5, stepPerSeqMs: 0.2, prefillTokensPerMs: 20, blockSize: 16 });
  // 100-token prompts whose first 64 tokens are shared: 4 full blocks of 16 reusable by every request after the first.
  mkdirSync(path.join(dir, 'cfg', 'datasets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'cfg', 'datasets', 'shared_prefix.yaml'),
    [
      'abbr: shared-prefix',
      'type: synthetic',
      'synthetic:',
      '  Type: tokenid',
      '  RequestCount: 600',
      '  TokenIdConfig:',
      '    RequestSize: 100',
      '    PrefixLen: 64',
      '    Output: {Method: uniform, Params: {MinValue: 30, MaxValue: 30}}',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  tmux.killServer();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** hits / queries × 100 from the simulator's /metrics. */
async function simHitPct(): Promise<{ pct: number; queries: number }> {
  const text = (await send(sim.url, '/metrics')).text;
  const value = (name: string): number =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const queries = value('vllm:prefix_cache_queries_total');
  return { pct: (100 * value('vllm:prefix_cache_hits_total')) / queries, queries };
}

describe.skipIf(!hasTmux || !built)('prefix hit rate on the live board (tmux)', () => {
  it('the board\'s "hit N%" equals the simulator\'s hits/queries within 1 %', async () => {
    const cmd =
      `node ${bin} --models vllm_api_stream_chat --datasets shared_prefix --config-dir '${path.join(dir, 'cfg')}' ` +
      `--url ${sim.url} --max-concurrency 8 -w '${path.join(dir, 'out')}'; exec sleep 120`;
    // Wide enough that the board has room for the server column after the Log Path.
    tmux('new-session', '-d', '-s', 'pb', '-x', '250', '-y', '30', '-c', root, cmd);
    const hit = (s: string): number | null => {
      const m = /srv(?: missing)? run \S+ wait \S+ KV \S+ hit (\d+(?:\.\d)?)%/.exec(s);
      return m ? Number(m[1]) : null;
    };
    // Far enough into the run that the cumulative rate moves slowly: it is about 64 × (1 − 1/k) % after k
    // requests (the first one misses), 0.2 points between k = 150 and 200, so the up-to-1 s age of the
    // board's last scrape costs less than the board's rounding.
    await vi.waitFor(
      async () => {
        expect(hit(pane())).not.toBeNull();
        expect((await simHitPct()).queries).toBeGreaterThan(150 * 100);
      },
      { timeout: 90_000, interval: 250 },
    );
    const screen = pane();
    const sim1 = await simHitPct();
    const shown = hit(screen)!;
    expect(screen, 'the run must still be going').toMatch(/Task Progress Table/);
    // 64 of 100 prompt tokens can be hits: the rate is below 64 % and well above 0.
    expect(sim1.pct).toBeGreaterThan(50);
    expect(sim1.pct).toBeLessThan(64);
    expect(Math.abs(shown - sim1.pct), `board ${shown}% vs simulator ${sim1.pct.toFixed(2)}%\n${screen}`).toBeLessThan(
      1,
    );
    tmux('send-keys', '-t', 'pb', 'C-c');
  }, 150_000);
});
