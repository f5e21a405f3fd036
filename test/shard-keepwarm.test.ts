/**
 * A shard that waits long for its start instant keeps its pre-opened
 * connections: the engine's pool closes connections idle for 30 s, so
 * without a touch during the wait every stream would open a new connection
 * at t = 0 and its TTFT would include TCP setup. A TCP relay in front of the
 * simulator counts the connections opened.
 */
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { cli, type CliOut } from './shard-cli.js';

let tmp: string;
let sim: SimServer;
let relay: net.Server;
let opened = 0;
let run: CliOut;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-warm-'));
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1 });
  relay = net.createServer((c) => {
    opened++;
    const up = net.connect(sim.port, '127.0.0.1');
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const port = (relay.address() as net.AddressInfo).port;
  // 40 s after now: more than the pool's 30 s keep-alive after the connections were opened.
  const at = new Date(Date.now() + 40_000).toISOString();
  run = await cli([
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    `http://127.0.0.1:${port}`,
    '--num-prompts',
    '8',
    '--max-concurrency',
    '8',
    '--max-out-len',
    '4',
    '--no-tui',
    '--shard',
    '0/1',
    '--start-at',
    at,
    '-w',
    tmp,
  ]);
}, 120_000);
afterAll(async () => {
  relay?.close();
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('--start-at 40 s ahead', () => {
  it('sends every stream on a connection opened before the wait', { timeout: 120_000 }, () => {
    expect(run.code, run.stderr).toBe(0);
    // 8 pre-opened connections + 1 for the model discovery; new ones at t = 0 would make it 17.
    expect(opened).toBeLessThanOrEqual(10);
  });
});
