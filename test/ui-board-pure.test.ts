import { describe, expect, it } from 'vitest';
import {
  fit,
  fitKey,
  fitMiddle,
  formatClock,
  formatCounts,
  formatDuration,
  formatProgress,
  formatRate,
  formatTtft,
} from '../src/ui/board/format.js';
import { computeLayout, formatHeader, formatRow } from '../src/ui/board/layout.js';
import { binValues, sparkline } from '../src/ui/board/sparkline.js';
import { makeTask } from './board-fixtures.js';

describe('format', () => {
  it('formats clock, durations, rates and counts like the seed', () => {
    expect(formatClock(new Date(2025, 10, 6, 10, 34, 41).getTime())).toBe('2025-11-06 10:34:41');
    expect(formatDuration(54_900)).toBe('0:00:54');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatRate(0.1)).toBe('0.1');
    expect(formatRate(523.4)).toBe('523');
    expect(formatRate(12_345)).toBe('12.3k');
    expect(formatTtft(120, 2500)).toBe('120ms/2.50s');
    expect(formatTtft(NaN, NaN)).toBe('-');
    expect(formatCounts({ post: 4, recv: 3, finish: 3, fail: 0 })).toBe('POST 4 RECV 3 FINISH 3 FAIL 0');
  });

  it('draws the progress bar inside the width, then drops it', () => {
    expect(formatProgress(3, 8, 0.1, 47)).toBe('[###########                   ] 3/8 [0.1 it/s]');
    expect(formatProgress(8, 8, 1, 20)).toBe('[###] 8/8 [1.0 it/s]');
    expect(formatProgress(3, 8, 0.1, 12)).toBe('3/8 0.1it/s');
    expect(formatProgress(3, NaN, 0.1, 5)).toBe('3/?');
  });

  it('elides with …', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(fitMiddle('abcdefgh', 5)).toBe('ab…gh');
    const key = fitKey('vllm-api-stream-chat-39/demo_gsm8k', 17);
    expect(key).toHaveLength(17);
    expect(key).toMatch(/-39\/dem.*8k$/);
  });
});

describe('sparkline', () => {
  it('maps 0..max onto ▁..█, newest at the right, padded while short', () => {
    expect(sparkline([0, 7], 2)).toBe('▁█');
    expect(sparkline([1, 2], 4, 2)).toBe('  ▅█');
    expect(sparkline([], 3)).toBe('   ');
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
  });
  it('bins long histories by averaging neighbours', () => {
    expect(binValues([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(
      sparkline(
        Array.from({ length: 60 }, (_, i) => i),
        10,
      ),
    ).toHaveLength(10);
  });
});

describe('layout', () => {
  const tasks = Array.from({ length: 5 }, (_, i) => makeTask(i, 1234));
  for (const width of [80, 100, 120, 160, 240]) {
    it(`fits ${width} columns with every shown header whole`, () => {
      const layout = computeLayout(tasks, width);
      expect(layout.width).toBeLessThanOrEqual(width);
      for (const c of layout.columns) expect(c.width).toBeGreaterThanOrEqual(c.header.length);
      const header = formatHeader(layout);
      for (const c of layout.columns) expect(header).toContain(c.header);
      const row = formatRow(tasks[0]!, layout)
        .map((s) => s.text)
        .join('');
      expect(row.length).toBe(layout.width);
      const ids = layout.columns.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining(['name', 'progress', 'time', 'status', 'ext']));
    });
  }
  it('adds optional columns as the terminal widens', () => {
    expect(computeLayout(tasks, 80).columns.map((c) => c.id)).not.toContain('spark');
    const wide = computeLayout(tasks, 240);
    expect(wide.columns.map((c) => c.id)).toEqual([
      'name',
      'process',
      'progress',
      'time',
      'eta',
      'status',
      'ttft',
      'tokps',
      'spark',
      'log',
      'ext',
    ]);
    expect(wide.compactCounts).toBe(false);
    expect(
      formatRow(tasks[0]!, wide)
        .find((s) => s.token === 'status.inferencing')
        ?.text.trim(),
    ).toBe('inferencing');
  });
});

describe('fitKey', () => {
  it('keeps a short abbr whole and elides the dataset', () => {
    expect(fitKey('sim-a/synthetic_gen_demo', 16)).toBe('sim-a/synth…demo');
    expect(fitKey('a-very-long-model-name/gsm8k', 16)).toHaveLength(16);
    expect(fitKey('a-very-long-model-name/gsm8k', 16).endsWith('/gsm8k')).toBe(true);
  });
});
