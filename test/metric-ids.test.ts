/**
 * Typed metric ids (#19): code finds Common Metric rows by id, so a display
 * name is only a label. The end-to-end case relabels rows in a child process
 * running the built CLI (dist/, like faults-cli.test.ts) against a simulator
 * that fails every request: the files show the new labels, and the exit code
 * is still 1. Under the old rule (a lookup of 'Success Requests' by name) the
 * relabelled run exited 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_METRIC_NAMES, COUNT_METRICS } from '../src/core/metric-ids.js';
import { ColumnStore, COLUMN_NAMES, type ColumnName } from '../src/metrics/columns.js';
import { allRequestsFailed, commonRows, commonValueOf, isCountRow } from '../src/metrics/common.js';
import type { CommonRow } from '../src/metrics/types.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Hand-made requests: `ok` 1 or 0, 100 ms each, 10 output tokens when ok. */
function rowsOf(oks: number[]): CommonRow[] {
  const store = new ColumnStore();
  oks.forEach((ok, i) => {
    const r = Object.fromEntries(COLUMN_NAMES.map((c) => [c, 0])) as Record<ColumnName, number>;
    Object.assign(r, {
      t0: i * 100,
      end: i * 100 + 100,
      last: ok ? i * 100 + 100 : NaN,
      sched: -1,
      ttft: ok ? 10 : NaN,
      e2el: ok ? 100 : NaN,
    });
    Object.assign(r, { tpot: NaN, itlReq: NaN, inTok: 5, outTok: ok ? 10 : 0, attempts: 1, ok, itlN: 0 });
    store.push(r);
  });
  return commonRows(store.columns(), null, { stage: 'total', maxConcurrency: 1 });
}

const relabel = (rows: CommonRow[]): CommonRow[] => rows.map((r) => ({ ...r, name: `Renamed ${r.name}` }));

describe('Common Metric rows by id', () => {
  it("every row of commonRows carries an id, and its label is that id's display name", () => {
    for (const r of rowsOf([1, 0])) {
      expect(r.id, r.name).toBeDefined();
      expect(r.name).toBe(COMMON_METRIC_NAMES[r.id!]);
    }
  });

  it('the "every request failed" rule reads ids, not labels', () => {
    const failed = rowsOf([0, 0, 0]);
    // 3 requests, 0 ok: success 0, failed 3.
    expect(commonValueOf(failed, 'success_requests')).toBe(0);
    expect(commonValueOf(failed, 'failed_requests')).toBe(3);
    expect(allRequestsFailed(failed)).toBe(true);
    expect(allRequestsFailed(relabel(failed))).toBe(true);
    // One success among three: not "every request failed", labels or not.
    expect(allRequestsFailed(rowsOf([0, 1, 0]))).toBe(false);
    expect(allRequestsFailed(relabel(rowsOf([0, 1, 0])))).toBe(false);
    // No request at all: nothing failed.
    expect(allRequestsFailed([])).toBe(false);
  });

  it('counts print whole by id; a hand-written row with a known label only maps back to its id', () => {
    const ok = rowsOf([1]).find((r) => r.id === 'success_requests')!;
    expect(isCountRow(relabel([ok])[0]!)).toBe(true);
    expect(isCountRow({ name: 'Total Requests', stage: 'total', value: 8, unit: '' })).toBe(true);
    expect(isCountRow({ name: 'Request Throughput', stage: 'total', value: 8, unit: 'req/s' })).toBe(false);
    expect(isCountRow({ name: 'SLO ttft:p99<=500', stage: 'total', value: 8, unit: 'ms' })).toBe(false);
    expect(COUNT_METRICS.has('request_throughput')).toBe(false);
  });
});

describe('a relabelled all-failed run (built CLI, live simulator)', () => {
  let sim: SimServer;
  let work: string;
  beforeAll(async () => {
    sim = await startSimulator({ failRate: 1, failStatus: 503 });
    work = mkdtempSync(path.join(tmpdir(), 'aisbench-metric-ids-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes the new labels and still exits 1', async () => {
    // The display names are data: the child rewrites two of them before the CLI loads.
    const script = path.join(work, 'relabel.mjs');
    const dist = (p: string): string => pathToFileURL(path.join(root, 'dist', p)).href;
    writeFileSync(
      script,
      `process.env.NODE_ENV = 'production';\n` +
        `const { COMMON_METRIC_NAMES } = await import(${JSON.stringify(dist('core/metric-ids.js'))});\n` +
        `COMMON_METRIC_NAMES.success_requests = 'Requests OK';\n` +
        `COMMON_METRIC_NAMES.failed_requests = 'Requests Not OK';\n` +
        `const { main } = await import(${JSON.stringify(dist('cli/main.js'))});\n` +
        `process.exitCode = await main(process.argv.slice(2));\n`,
    );
    const args = [
      script,
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen',
      '--url',
      sim.url,
      '--num-prompts',
      '6',
      '--num-warmups',
      '0',
      '--retry',
      '1',
      '--no-tui',
      '-w',
      work,
    ];
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        args,
        { timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
        (err, _out, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr });
        },
      );
    });
    expect(r.stderr).toMatch(/every request failed/);
    expect(r.code).toBe(1);
    const run = readdirSync(work).find((d) => /^\d{8}_\d{6}$/.test(d))!;
    const perf = path.join(work, run, 'performances', 'vllm-api-stream-chat');
    const json = JSON.parse(
      readFileSync(
        path.join(
          perf,
          readdirSync(perf).find((f) => /^[a-z_]+\.json$/.test(f) && !f.includes('meta'))!,
        ),
        'utf8',
      ),
    ) as Record<string, { total?: string }>;
    // The relabelling reached the files: the rule cannot have found the rows by their old names.
    expect(json['Success Requests']).toBeUndefined();
    expect(json['Requests OK']?.total).toBe('0');
    expect(json['Requests Not OK']?.total).toBe('6');
  });
});
