/**
 * The built CLI end to end, as a user runs it in a pipe: the demo against the
 * embedded simulator, the run folder it leaves, and perf_viz recomputing the
 * same numbers from the saved details with another stats list.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cli } from './cli-helpers.js';

describe('aisbench-tui --demo --no-tui', () => {
  let dir: string;
  let runDir: string;
  let first: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'aisbench-e2e-'));
    first = await cli(['--demo', '--no-tui', '-w', 'out'], dir);
    const runs = readdirSync(path.join(dir, 'out'));
    runDir = path.join(dir, 'out', runs[0]!);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints both tables and the result paths', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Performance Parameters');
    expect(first.stdout).toContain('Common Metric');
    expect(first.stdout).toMatch(/Performance Result files located in .*performances/);
    expect(first.stderr).toBe('');
  });

  it('leaves the AISBench folder layout with config, log, CSV, JSON, details and HTML', () => {
    const perf = path.join(runDir, 'performances', 'sim-stream-chat');
    for (const f of [
      'synthetic-demo.csv',
      'synthetic-demo.json',
      'synthetic-demo_details.jsonl',
      'synthetic-demo_plot.html',
    ]) {
      expect(existsSync(path.join(perf, f)), f).toBe(true);
    }
    expect(readdirSync(path.join(runDir, 'configs')).some((f) => /_config\.(yaml|json)$/.test(f))).toBe(true);
    expect(existsSync(path.join(runDir, 'logs', 'performance', 'sim-stream-chat', 'synthetic-demo.out'))).toBe(true);
    // Every measured request is in the details, plus the warmup (flagged).
    const lines = readFileSync(path.join(perf, 'synthetic-demo_details.jsonl'), 'utf8').trim().split('\n');
    const recs = lines.map((l) => JSON.parse(l));
    expect(recs.filter((r) => r.warm).length).toBe(1);
    const json = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo.json'), 'utf8'));
    expect(Number(json['Total Requests'].total)).toBe(recs.filter((r) => !r.warm).length);
    expect(Number(json['Success Requests'].total) + Number(json['Failed Requests'].total)).toBe(
      Number(json['Total Requests'].total),
    );
  });

  it('perf_viz recomputes the same numbers from the details, with another stats list', async () => {
    const perf = path.join(runDir, 'performances', 'sim-stream-chat');
    const live = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo.json'), 'utf8'));
    const liveCsv = readFileSync(path.join(perf, 'synthetic-demo.csv'), 'utf8');
    const viz = await cli(['--mode', 'perf_viz', '--reuse', '--stats', 'Average,P95', '--no-tui', '-w', 'out'], dir);
    expect(viz.code).toBe(0);
    expect(viz.stdout).toMatch(/Performance Parameters\s+│\s+Stage\s+│\s+Average\s+│\s+P95\s+│\s+N/);
    const csv = readFileSync(path.join(perf, 'synthetic-demo.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('Performance Parameters,Stage,Average,P95,N');
    const again = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo.json'), 'utf8'));
    // Exact percentiles on both sides: the Common Metric table is identical,
    // and so is every Average (same requests, same definitions).
    expect(again).toEqual(live);
    const avg = (text: string) =>
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 3).join(','));
    expect(avg(csv)).toEqual(avg(liveCsv));
  }, 60_000);

  it('perf_viz on a run without details is a one-line error with exit 2', async () => {
    const viz = await cli(['--mode', 'perf_viz', '--reuse', '--no-tui', '-w', 'empty'], dir);
    expect(viz.code).toBe(2);
    expect(viz.stderr.trim().split('\n')).toHaveLength(1);
    expect(viz.stderr).not.toContain('    at ');
  });
});
