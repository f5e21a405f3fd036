/**
 * --processes K (K local shards under one board, merged into one run folder)
 * and `sim --processes K` (K simulator processes sharing one port), end to end.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cli, commonRaw, detailsLines, runFolders, type CliOut } from './shard-cli.js';

const TASK = path.join('performances', 'vllm-api-stream-chat');
let tmp: string;
let sim: ReturnType<typeof spawn>;
let simOut = '';
let url: string;
let run: CliOut;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-procs-'));
  sim = spawn(process.execPath, [bin, 'sim', '--port', '0', '--processes', '2', '--ttft', '5', '--itl', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    sim.stdout!.on('data', (d: Buffer) => {
      simOut += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+) \(2 processes/.exec(simOut);
      if (m) resolve(m[1]!);
    });
    sim.once('exit', (c) => reject(new Error(`sim exited ${c}: ${simOut}`)));
  });
  run = await cli([
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    url,
    '--num-prompts',
    '30',
    '--max-concurrency',
    '6',
    '--max-out-len',
    '8',
    '--processes',
    '3',
    '--no-tui',
    '-w',
    path.join(tmp, 'out'),
  ]);
}, 180_000);
afterAll(() => {
  if (sim.exitCode === null) sim.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('sim --processes 2', () => {
  it('runs two worker processes behind one port', () => {
    const kids = readFileSync(`/proc/${sim.pid}/task/${sim.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    expect(kids).toHaveLength(2);
  });
});

describe('--processes 3', () => {
  it('exits 0 with one merged run folder and its three shard folders inside', () => {
    expect(run.code, run.stderr).toBe(0);
    const [runDir] = runFolders(path.join(tmp, 'out'));
    expect(runFolders(path.join(runDir!, 'shards'))).toHaveLength(3);
    for (const f of [
      'synthetic.csv',
      'synthetic.json',
      'synthetic_details.jsonl',
      'synthetic_plot.html',
      'synthetic_shards.csv',
    ]) {
      expect(existsSync(path.join(runDir!, TASK, f)), f).toBe(true);
    }
    expect(run.stdout).toContain('Performance Parameters');
  });

  it('counts every request once, and the shards started together (barrier over IPC)', () => {
    const [runDir] = runFolders(path.join(tmp, 'out'));
    const c = commonRaw(path.join(runDir!, TASK, 'synthetic.json'));
    expect(c['Total Requests']).toBe(30);
    expect(c['Max Concurrency']).toBe(6);
    const ids = detailsLines(path.join(runDir!, TASK, 'synthetic_details.jsonl'))
      .filter((r) => !r.warm)
      .map((r) => r.id as number);
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const shards = JSON.parse(readFileSync(path.join(runDir!, 'shards.json'), 'utf8')) as {
      breakdown: Array<{ startSpreadMs: number; startLagMs: number }>;
    };
    expect(shards.breakdown).toHaveLength(3);
    // One 'go' for all three, 100 ms ahead: a loose bound for a loaded 2-core machine.
    for (const b of shards.breakdown) expect(b.startSpreadMs).toBeLessThan(1500);
  });

  it('the simulator processes served all of it, and stop together', async () => {
    const done = new Promise<number | null>((r) => sim.once('exit', r));
    sim.kill('SIGINT');
    expect(await done).toBe(0);
    const n = Number(/stopped after (\d+) requests/.exec(simOut)?.[1]);
    // 30 measured + 3 warmups (one per process) + model discovery and pre-connections: at least 33.
    expect(n).toBeGreaterThanOrEqual(33);
    expect(readdirSync(tmp)).toContain('out');
  });
});
