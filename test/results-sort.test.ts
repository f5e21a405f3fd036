import { describe, expect, it } from 'vitest';
import { formatCommonValue, formatPerfValue } from '../src/ui/results/format.js';
import { compareNumbers, reverseSort, sortBy, sortOrder } from '../src/ui/results/sort.js';
import { statPresets, DEFAULT_STATS, TAIL_STATS } from '../src/ui/results/presets.js';
import { initialResultsState, reduceResults } from '../src/ui/results/state.js';

describe('sort', () => {
  it('orders numbers where string order differs, both ways', () => {
    const values = [10.2, 9.5, 100.3];
    const strings = values.map((v) => formatPerfValue(v, 'ms'));
    expect([...strings].sort()).toEqual(['10.2 ms', '100.3 ms', '9.5 ms']);
    expect(sortOrder(values, 'asc').map((i) => strings[i])).toEqual(['9.5 ms', '10.2 ms', '100.3 ms']);
    expect(sortOrder(values, 'desc').map((i) => strings[i])).toEqual(['100.3 ms', '10.2 ms', '9.5 ms']);
  });

  it('puts NaN last in both directions and keeps ties stable', () => {
    expect(sortOrder([NaN, 2, 1, NaN, 2], 'asc')).toEqual([2, 1, 4, 0, 3]);
    expect(sortOrder([NaN, 2, 1, NaN, 2], 'desc')).toEqual([1, 4, 2, 0, 3]);
    expect(compareNumbers(NaN, 1, 'desc')).toBeGreaterThan(0);
  });

  it('s sorts ascending, S/r flip', () => {
    expect(sortBy(null, 2)).toEqual({ col: 2, dir: 'asc' });
    expect(reverseSort({ col: 2, dir: 'asc' }, 2)).toEqual({ col: 2, dir: 'desc' });
    expect(reverseSort({ col: 2, dir: 'desc' }, 2)).toEqual({ col: 2, dir: 'asc' });
    expect(reverseSort({ col: 1, dir: 'asc' }, 2)).toEqual({ col: 2, dir: 'desc' });
  });
});

describe('format (seed 000 style)', () => {
  it('rounds to 4 decimals and keeps .0 on whole floats', () => {
    expect(formatPerfValue(12300.2, 'ms')).toBe('12300.2 ms');
    expect(formatPerfValue(41.62543, 'token/s')).toBe('41.6254 token/s');
    expect(formatPerfValue(512, '')).toBe('512.0');
    expect(formatPerfValue(NaN, 'ms')).toBe('-');
    expect(formatCommonValue(8, '')).toBe('8');
    expect(formatCommonValue(0.0813, 'req/s')).toBe('0.0813 req/s');
    expect(formatPerfValue(1563.0625, '')).toBe('1563.0625');
  });
});

describe('presets and reducer', () => {
  it('cycles the CLI stats, default and tail without duplicates', () => {
    expect(statPresets(DEFAULT_STATS).map((p) => p.name)).toEqual(['default', 'tail']);
    expect(statPresets(['Average', 'P95']).map((p) => p.stats)).toEqual([
      ['Average', 'P95'],
      DEFAULT_STATS,
      TAIL_STATS,
    ]);
  });

  it('clamps the column cursor and the scroll', () => {
    const ctx = { tasks: 3, presets: 2, dataCols: 2, maxScroll: 5 };
    let s = reduceResults(initialResultsState, { type: 'colRight' }, ctx);
    s = reduceResults(s, { type: 'colRight' }, ctx);
    expect(s.taskCol).toBe(1);
    s = reduceResults(s, { type: 'scroll', by: 100 }, ctx);
    expect(s.scroll).toBe(5);
    s = reduceResults(s, { type: 'prevTask' }, ctx);
    expect([s.task, s.scroll]).toEqual([2, 0]);
    expect(reduceResults(s, { type: 'selectTask', index: 7 }, ctx).task).toBe(2);
  });
});
