/**
 * run/controller.ts owns the lifecycle of the commands around a run too (#19):
 * the `--processes` parent, `watch`, `merge` and perf_viz. Each way out is
 * driven here on the built CLI with a real signal or the crash hook:
 * - SIGINT to the `--processes` parent only (not its process group): it
 *   passes the stop on, every child ends, the parent merges what they did
 *   and exits 130; the shard folders stay under <run>/shards/;
 * - SIGTERM (and SIGINT) during `watch`: the watch line, exit 143 (130), the
 *   shards' live.json untouched;
 * - a crash injected in `merge` and in `perf_viz` over shard folders
 *   (AISBENCH_TUI_TEST_CRASH_MS): one line, exit 1, the shard folders byte
 *   for byte as before, and the same merge afterwards exits 0.
 * Bad input to merge (not a shard folder, mismatched shards: one line, exit 2)
 * is test/shard-merge.test.ts's. Needs dist/ (`npx tsc -p .`).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { startCli, type CliRun } from './cli-helpers.js';
import { cli, detailsLines, runFolders } from './shard-cli.js';

const TASK = path.join('performances', 'vllm-api-stream-chat');
const DETAILS = path.join(TASK, 'synthetic_details.jsonl');
let tmp: string;
let sim: SimServer;
const started: CliRun[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-ctl-cmd-'));
  // 5 ms to the first token, then 40 ms per token: a 32-token answer takes about 1.3 s.
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 40 });
});
afterAll(async () => {
  for (const r of started) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const perfArgs = (prompts: number, work: string): string[] => [
  '--models',
  'vllm_api_stream_chat',
  '--datasets',
  'synthetic_gen',
  '--url',
  sim.url,
  '--num-prompts',
  String(prompts),
  '--max-concurrency',
  '4',
  '--max-out-len',
  '32',
  '--no-tui',
  '-w',
  work,
];

describe('--processes parent under the controller', () => {
  it(
    'SIGINT to the parent alone: the children stop, the parent merges and exits 130, the shard folders stay',
    { timeout: 120_000 },
    async () => {
      const work = path.join(tmp, 'procs');
      // 400 requests at 4 at a time of ~1.3 s each would take minutes: the stop must cut it short.
      const r = startCli([...perfArgs(400, work), '--processes', '2']);
      started.push(r);
      const shardDirs = (): string[] => {
        const run = existsSync(work) ? runFolders(work)[0] : undefined;
        const sd = run ? path.join(run, 'shards') : '';
        return sd && existsSync(sd) ? readdirSync(sd).map((n) => path.join(sd, n)) : [];
      };
      // Both children have finished requests (their details have lines) before the signal.
      await vi.waitFor(
        () => {
          const dirs = shardDirs();
          expect(dirs).toHaveLength(2);
          for (const d of dirs)
            expect(existsSync(path.join(d, DETAILS)) && readFileSync(path.join(d, DETAILS), 'utf8').length > 0).toBe(
              true,
            );
        },
        { timeout: 60_000, interval: 100 },
      );
      const pids = shardDirs().map(
        (d) => (JSON.parse(readFileSync(path.join(d, 'shard.json'), 'utf8')) as { pid: number }).pid,
      );
      expect(pids.every(alive)).toBe(true);
      r.child.kill('SIGINT');
      const exit = await r.exit;
      expect(exit, r.out.stderr).toEqual({ code: 130, signal: null });
      // The children ended with the parent (nobody killed them but the forwarded SIGINT).
      for (const pid of pids) expect(alive(pid)).toBe(false);
      const dirs = shardDirs();
      expect(dirs).toHaveLength(2);
      let shardLines = 0;
      for (const d of dirs) {
        const m = JSON.parse(readFileSync(path.join(d, 'shard.json'), 'utf8')) as { finished: boolean };
        expect(m.finished).toBe(true);
        shardLines += detailsLines(path.join(d, DETAILS)).length;
      }
      // Stopped early: some requests, not all 400; the merged run holds exactly the shards' records.
      expect(shardLines).toBeGreaterThan(0);
      expect(shardLines).toBeLessThan(400);
      const merged = detailsLines(path.join(runFolders(work)[0]!, DETAILS));
      expect(merged).toHaveLength(shardLines);
      expect(r.out.stderr).not.toMatch(/internal error|\n\s+at /);
    },
  );
});

describe('watch under the controller', () => {
  /** Two shards of a run that are still going, as their live.json files say (written by hand). */
  const liveFolder = (name: string): string => {
    const dir = path.join(tmp, name);
    for (const index of [0, 1]) {
      mkdirSync(path.join(dir, `shard${index}`), { recursive: true });
      writeFileSync(
        path.join(dir, `shard${index}`, 'live.json'),
        JSON.stringify({ index, count: 2, done: false, updatedAt: Date.now(), tasks: [], digests: [] }),
      );
    }
    return dir;
  };

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s while watching: the watch line, exit %i, the live files untouched',
    { timeout: 60_000 },
    async (sig, code) => {
      const dir = liveFolder(`watch-${sig}`);
      const before = readFileSync(path.join(dir, 'shard0', 'live.json'), 'utf8');
      const r = startCli(['watch', dir, '--no-tui']);
      started.push(r);
      // The plain presenter's first line: the watch has read both shards and shows them.
      await vi.waitFor(() => expect(r.out.stdout).toMatch(/Base path of result&log/), {
        timeout: 30_000,
        interval: 50,
      });
      r.child.kill(sig);
      const exit = await r.exit;
      expect(exit, r.out.stderr).toEqual({ code, signal: null });
      expect(r.out.stdout).toMatch(/^watch: 0 of 2 shards finished; $/m);
      expect(r.out.stdout).not.toMatch(/merge with/);
      expect(r.out.stderr).toBe('');
      expect(readFileSync(path.join(dir, 'shard0', 'live.json'), 'utf8')).toBe(before);
    },
  );
});

describe('merge and perf_viz under the controller', () => {
  let shards: string;
  /** Every file under dir except the merge's own output (merged/), with its text. */
  const snapshot = (dir: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const p = path.join(e.parentPath, e.name);
      const rel = path.relative(dir, p);
      if (e.isFile() && !rel.startsWith('merged')) out[rel] = readFileSync(p, 'utf8');
    }
    return out;
  };

  beforeAll(async () => {
    shards = path.join(tmp, 'shards');
    const rs = await Promise.all(
      [0, 1].map((i) => cli([...perfArgs(8, shards), '--max-out-len', '4', '--shard', `${i}/2`])),
    );
    for (const x of rs) expect(x.code, x.stderr).toBe(0);
  }, 120_000);

  it.each([
    ['merge', () => ['merge', shards, '--out', path.join(tmp, 'merged'), '--no-tui']],
    ['perf_viz --reuse', () => ['--mode', 'perf_viz', '--reuse', '--no-tui', '-w', shards]],
  ] as const)(
    'a crash in %s: one line, exit 1, the shards unchanged; the same command then exits 0',
    { timeout: 60_000 },
    async (_name, args) => {
      const before = snapshot(shards);
      expect(Object.keys(before).some((f) => f.endsWith('synthetic_details.jsonl'))).toBe(true);
      const r = startCli(args(), { AISBENCH_TUI_TEST_CRASH_MS: '0' });
      started.push(r);
      const exit = await r.exit;
      expect(exit).toEqual({ code: 1, signal: null });
      expect(r.out.stderr).toBe(
        'aisbench-tui: internal error: injected crash (AISBENCH_TUI_TEST_CRASH_MS) (run with --debug for details)\n',
      );
      expect(snapshot(shards)).toEqual(before);
      const again = await cli(args());
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^merged 2 shards into /m);
    },
  );
});
