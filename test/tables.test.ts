import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommonRow, PerfTable, TaskResult } from '../src/metrics/types.js';
import { writeTaskResultFiles } from '../src/output/results-files.js';
import {
  displayWidth,
  formatCommonTable,
  formatFailureTable,
  formatPerfTable,
  formatValue,
} from '../src/output/tables.js';

const seedCommon: Array<[string, number, string]> = [
  ['Benchmark Duration', 98409.4916, 'ms'],
  ['Total Requests', 8, ''],
  ['Failed Requests', 0, ''],
  ['Success Requests', 8, ''],
  ['Concurrency', 0.99992, ''],
  ['Max Concurrency', 1, ''],
  ['Request Throughput', 0.08129, 'req/s'],
  ['Total Input Tokens', 12100, ''],
  ['Prefill Token Throughput', 753.98427, 'token/s'],
  ['Total Generated Tokens', 4096, ''],
  ['Input Token Throughput', 122.95560001, 'token/s'],
  ['Output Token Throughput', 41.62200002, 'token/s'],
  ['Total Token Throughput', 164.57759, 'token/s'],
];
const rows: CommonRow[] = seedCommon.map(([name, value, unit]) => ({ name, value, unit, stage: 'total' }));

describe('formatValue', () => {
  it('rounds to 4 decimals, trims zeros, keeps one decimal', () => {
    expect(formatValue(12300.2, 'ms')).toBe('12300.2 ms');
    expect(formatValue(12300, 'ms')).toBe('12300.0 ms');
    expect(formatValue(41.62540001, 'token/s')).toBe('41.6254 token/s');
    expect(formatValue(1520.25, '')).toBe('1520.25');
    expect(formatValue(512, '')).toBe('512.0');
    expect(formatValue(8, '', true)).toBe('8');
    expect(formatValue(-0.00001, 'ms')).toBe('0.0 ms');
    expect(formatValue(NaN, 'ms')).toBe('-');
  });
  it('measures wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('性能')).toBe(4);
  });
});

describe('tables', () => {
  it('Common Metric renders like the seed', () => {
    const out = formatCommonTable(rows).split('\n');
    expect(out.slice(0, 6)).toEqual([
      '╒══════════════════════════╤═════════╤══════════════════╕',
      '│ Common Metric            │ Stage   │ Value            │',
      '╞══════════════════════════╪═════════╪══════════════════╡',
      '│ Benchmark Duration       │ total   │ 98409.4916 ms    │',
      '├──────────────────────────┼─────────┼──────────────────┤',
      '│ Total Requests           │ total   │ 8                │',
    ]);
    expect(out).toContain('│ Concurrency              │ total   │ 0.9999           │');
    expect(out).toContain('│ Request Throughput       │ total   │ 0.0813 req/s     │');
    expect(out).toContain('│ Prefill Token Throughput │ total   │ 753.9843 token/s │');
    expect(out).toContain('│ Output Token Throughput  │ total   │ 41.622 token/s   │');
    expect(out.at(-1)).toBe('╘══════════════════════════╧═════════╧══════════════════╛');
  });

  it('Performance Parameters renders like the seed, N centred', () => {
    const t: PerfTable = {
      stats: ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'],
      rows: [
        {
          metric: 'E2EL',
          stage: 'total',
          unit: 'ms',
          n: 8,
          values: [12300.2, 12295.9, 12305.2, 12300, 12302.1, 12304.3, 12305.1],
        },
        {
          metric: 'OutputTokenThroughput',
          stage: 'total',
          unit: 'token/s',
          n: 8,
          values: [41.6254, 41.6085, 41.6398, 41.6261, 41.6338, 41.6375, 41.6395],
        },
      ],
    };
    expect(formatPerfTable(t).split('\n')).toEqual([
      '╒══════════════════════════╤═════════╤═════════════════╤═════════════════╤═════════════════╤═════════════════╤═════════════════╤═════════════════╤═════════════════╤═════╕',
      '│ Performance Parameters   │ Stage   │ Average         │ Min             │ Max             │ Median          │ P75             │ P90             │ P99             │  N  │',
      '╞══════════════════════════╪═════════╪═════════════════╪═════════════════╪═════════════════╪═════════════════╪═════════════════╪═════════════════╪═════════════════╪═════╡',
      '│ E2EL                     │ total   │ 12300.2 ms      │ 12295.9 ms      │ 12305.2 ms      │ 12300.0 ms      │ 12302.1 ms      │ 12304.3 ms      │ 12305.1 ms      │  8  │',
      '├──────────────────────────┼─────────┼─────────────────┼─────────────────┼─────────────────┼─────────────────┼─────────────────┼─────────────────┼─────────────────┼─────┤',
      '│ OutputTokenThroughput    │ total   │ 41.6254 token/s │ 41.6085 token/s │ 41.6398 token/s │ 41.6261 token/s │ 41.6338 token/s │ 41.6375 token/s │ 41.6395 token/s │  8  │',
      '╘══════════════════════════╧═════════╧═════════════════╧═════════════════╧═════════════════╧═════════════════╧═════════════════╧═════════════════╧═════════════════╧═════╛',
    ]);
  });

  it('failures table', () => {
    const out = formatFailureTable([{ code: 'E_HTTP_500', count: 3, example: 'Internal\nServer Error' }]);
    expect(out.split('\n')[3]).toBe('│ E_HTTP_500 │ 3       │ Internal Server Error │');
  });
});

describe('result files', () => {
  it('writes the CSV and the JSON (strings with units, plus _raw)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-files-'));
    try {
      const r: TaskResult = {
        key: 'm/gsm8k',
        abbr: 'm',
        dataset: 'gsm8k',
        model: 'x',
        perf: {
          stats: ['Average', 'P99'],
          rows: [{ metric: 'TTFT', stage: 'total', unit: 'ms', n: 8, values: [2006, 2007.3] }],
        },
        common: rows,
        failures: [],
        series: { concurrency: [], outputTokPerSec: [], ttftByStart: [] },
        interrupted: false,
        files: {},
      };
      const paths = writeTaskResultFiles(dir, r);
      expect(paths).toEqual({
        csv: join('performances', 'm', 'gsm8k.csv'),
        json: join('performances', 'm', 'gsm8k.json'),
      });
      expect(readFileSync(join(dir, paths.csv), 'utf8')).toBe(
        'Performance Parameters,Stage,Average,P99,N\nTTFT,total,2006.0 ms,2007.3 ms,8\n',
      );
      const j = JSON.parse(readFileSync(join(dir, paths.json), 'utf8'));
      expect(j['Benchmark Duration']).toEqual({ total: '98409.4916 ms' });
      expect(j['Total Requests']).toEqual({ total: '8' });
      expect(j._raw['Concurrency']).toEqual({ total: 0.99992 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
