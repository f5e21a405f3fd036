/**
 * One arrival builder (#19): the run and --dry-run both build the arrival
 * spec with engine/arrival.ts `arrivalFromModel`, so a model task asking for
 * use_timestamp on a dataset without timestamps gets the same one-line config
 * error and exit 2 from both (the run used to ignore the setting while the dry
 * run refused it). Built CLI (dist/) against a live simulator.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const bin = path.join(fileURLToPath(new URL('..', import.meta.url)), 'bin', 'aisbench-tui.mjs');

function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
      (err, _out, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
      },
    );
  });
}

describe('use_timestamp without a trace', () => {
  let sim: SimServer;
  let work: string;
  beforeAll(async () => {
    sim = await startSimulator({});
    work = mkdtempSync(path.join(tmpdir(), 'aisbench-arrival-'));
    mkdirSync(path.join(work, 'cfg', 'models'), { recursive: true });
    writeFileSync(
      path.join(work, 'cfg', 'models', 'ts_chat.yaml'),
      `abbr: ts-chat\napi: chat\nurl: ${sim.url}\nuse_timestamp: true\nbatch_size: 4\n`,
    );
  });
  afterAll(async () => {
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is the same one-line error, exit 2, in the run and in --dry-run; nothing is sent', async () => {
    const args = [
      '--config-dir',
      path.join(work, 'cfg'),
      '--models',
      'ts_chat',
      '--datasets',
      'synthetic_gen',
      '--num-prompts',
      '4',
      '--num-warmups',
      '0',
      '--no-tui',
      '-w',
      path.join(work, 'runs'),
    ];
    const before = sim.requestLog().length;
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli([...args, ...extra]);
      expect(r.stderr.trim().split('\n'), extra.join(' ')).toEqual([
        'aisbench-tui: use_timestamp needs a trace dataset with timestamps',
      ]);
      expect(r.code).toBe(2);
    }
    expect(
      sim
        .requestLog()
        .slice(before)
        .filter((e) => e.path.includes('completions')),
    ).toEqual([]);
  });
});
