/**
 * `aisbench-tui watch DIR`: one view of all shards of a run from their
 * live.json files in the shared folder, started before the shards (it waits
 * for the folder); it ends when every shard has finished and its counts are
 * the shards' sum.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { cli, type CliOut } from './shard-cli.js';

let tmp: string;
let sim: SimServer;
let watch: CliOut;
let shards: CliOut[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-watch-'));
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 20 });
  const at = new Date(Date.now() + 6000).toISOString();
  // 24 requests of 16 tokens at 20 ms: each shard runs for a few seconds, long enough to be watched.
  const args = [
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    sim.url,
    '--num-prompts',
    '24',
    '--max-concurrency',
    '4',
    '--max-out-len',
    '16',
    '--no-tui',
    '--start-at',
    at,
    '-w',
    path.join(tmp, 'run'),
  ];
  const w = cli(['watch', path.join(tmp, 'run'), '--no-tui'], { timeoutMs: 120_000 });
  shards = await Promise.all([0, 1].map((i) => cli([...args, '--shard', `${i}/2`])));
  watch = await w;
}, 180_000);
afterAll(async () => {
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('watch', () => {
  it('follows both shards to the end and reports their summed counts', () => {
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    expect(watch.code, watch.stderr).toBe(0);
    // 24 requests over 2 shards, all finished: FINISH 24 (12 + 12).
    expect(watch.stdout).toMatch(/^watch: 2 of 2 shards finished; vllm-api-stream-chat\/synthetic FINISH 24 FAIL 0$/m);
    expect(watch.stdout).toMatch(/^merge with: aisbench-tui merge /m);
  });

  it('a file instead of a folder: one line, exit 2', async () => {
    writeFileSync(path.join(tmp, 'file'), 'x');
    const r = await cli(['watch', path.join(tmp, 'file')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aisbench-tui: watch: .*file is not a folder\n$/);
  });
});
