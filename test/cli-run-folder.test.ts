import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { RuntimeError } from '../src/core/errors.js';
import { resolveTasks } from '../src/config/registry.js';
import {
  createRunFolder,
  findRun,
  listRuns,
  readRunConfig,
  runTimestamp,
  writeRunConfig,
} from '../src/output/run-folder.js';
import { formatLogLine, openTaskLog } from '../src/output/task-log.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = new Date(2025, 10, 6, 10, 33, 26, 7); // local time, as AISBench names folders

describe('run folder', () => {
  test('is named by local time with AISBench sub-folders, _2 on a clash', async () => {
    const work = path.join(tmp, 'w1', 'nested');
    expect(runTimestamp(at)).toBe('20251106_103326');
    const a = await createRunFolder(work, at);
    const b = await createRunFolder(work, at);
    const c = await createRunFolder(work, at);
    expect([a, b, c].map((d) => path.basename(d))).toEqual([
      '20251106_103326',
      '20251106_103326_2',
      '20251106_103326_3',
    ]);
    for (const sub of ['configs', 'logs/performance', 'performances']) expect(existsSync(path.join(a, sub))).toBe(true);
    expect(listRuns(work)).toEqual(['20251106_103326', '20251106_103326_2', '20251106_103326_3']);
  });

  test('a work dir that cannot be created is a one-line RuntimeError', async () => {
    const file = path.join(tmp, 'plain-file');
    writeFileSync(file, 'x');
    const err = await createRunFolder(path.join(file, 'out'), at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).exitCode).toBe(1);
    expect((err as Error).message).toBe(
      `cannot write to work dir ${path.join(file, 'out')}: a parent is not a directory`,
    );
  });

  test('findRun: a timestamp, the newest, or a clear error', async () => {
    const work = path.join(tmp, 'w2');
    await createRunFolder(work, new Date(2025, 0, 1, 0, 0, 0));
    for (let i = 0; i < 10; i++) await createRunFolder(work, new Date(2025, 0, 2, 0, 0, 0));
    mkdirSync(path.join(work, 'not-a-run'));
    expect(findRun(work, '20250101_000000')).toBe(path.join(work, '20250101_000000'));
    // _10 sorts after _9 (numeric suffix, not string order).
    expect(findRun(work, true)).toBe(path.join(work, '20250102_000000_10'));
    expect(() => findRun(work, '20240101_000000')).toThrow(`no run 20240101_000000 in ${work}`);
    expect(() => findRun(path.join(tmp, 'empty'), true)).toThrow(/no runs in .*empty to reuse/);
  });

  test('writeRunConfig dumps tasks and options without secrets, and reads back', async () => {
    const c = parseCli(['--demo-tasks', '2', '--api-key', 'sk-CLI-SECRET-1']);
    if (c.kind !== 'perf') throw new Error();
    const tasks = await resolveTasks(c.opts);
    tasks[0]!.model.headers = {
      Authorization: 'Bearer tok-HEADER-2',
      'X-Api-Key': 'xk-3',
      'Content-Type': 'application/json',
    };
    const run = await createRunFolder(path.join(tmp, 'w3'), at);
    const file = writeRunConfig(run, tasks, c.opts);
    expect(path.relative(run, file)).toBe(path.join('configs', '20251106_103326_config.yaml'));
    const text = readFileSync(file, 'utf8');
    for (const s of ['sk-CLI-SECRET-1', 'tok-HEADER-2', 'xk-3']) expect(text).not.toContain(s);
    const back = readRunConfig(run);
    expect(back.tasks.map((t) => t.key)).toEqual(tasks.map((t) => t.key));
    expect(back.tasks[0]!.model.headers).toEqual({
      Authorization: '***',
      'X-Api-Key': '***',
      'Content-Type': 'application/json',
    });
    expect(back.tasks[1]!.model.api_key).toBe('***');
    expect(back.cli.apiKey).toBe('***');
    expect(back.cli.models).toEqual(['sim_stream_chat']);
  });
});

describe('task log', () => {
  test('AISBench line format', () => {
    expect(formatLogLine('INFO', 'hello', at)).toBe('[2025-11-06 10:33:26,007] [aisbench-tui] [INFO] hello');
  });

  test('writes synchronously under logs/performance/<abbr>/<dataset>.out and masks secrets', async () => {
    const run = await createRunFolder(path.join(tmp, 'w4'), at);
    const echoed: string[] = [];
    const log = openTaskLog(run, 'sim-a', 'synthetic-demo', {
      secrets: ['sk-LOG-SECRET'],
      echo: (l) => echoed.push(l),
    });
    expect(log.path).toBe(path.join('logs', 'performance', 'sim-a', 'synthetic-demo.out'));
    log.info('start');
    log.warn('key sk-LOG-SECRET leaked into a message');
    // Readable at once: no buffering to lose on a crash.
    const lines = readFileSync(path.join(run, log.path), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] \[aisbench-tui\] \[INFO\] start$/);
    expect(lines[1]).toMatch(/\[WARNING\] key \*\*\* leaked into a message$/);
    log.error('boom');
    log.close();
    log.close();
    log.info('after close is dropped');
    expect(readFileSync(log.absPath, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect(echoed).toHaveLength(4);
    expect(echoed.join('\n')).not.toContain('sk-LOG-SECRET');
  });
});
