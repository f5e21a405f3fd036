import { describe, expect, it } from 'vitest';
import { countDots } from '../src/ui/plots/braille-canvas.js';
import { chartDots, renderLineChart, resample, seriesBounds } from '../src/ui/plots/line-chart.js';

describe('renderLineChart', () => {
  it('returns height strings of exactly width characters', () => {
    const lines = renderLineChart([1, 5, 2, 8], 12, 3);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect([...l]).toHaveLength(12);
  });

  it('draws one dot per point of a scatter series', () => {
    const series = Array.from({ length: 10 }, (_, i) => [i, i] as [number, number]);
    // 5 cells = 10 dot columns: each point has its own column and row.
    const lines = renderLineChart(series, 5, 4, { kind: 'scatter' });
    expect(countDots(lines)).toBe(10);
    expect(chartDots(series, 5, 4, { kind: 'scatter' })).toHaveLength(10);
  });

  it('a flat line fills every dot column of one row', () => {
    const lines = renderLineChart(new Array(100).fill(3), 20, 2);
    expect(countDots(lines)).toBe(40);
    // y spans 0..3, so the line sits on the top dot row.
    expect(lines[0]).toBe('⠉'.repeat(20));
    expect(lines[1]).toBe(' '.repeat(20));
  });

  it('bins long series to one value per dot column', () => {
    const series = Array.from({ length: 1000 }, (_, i) => i % 7);
    expect(chartDots(series, 30, 3)).toHaveLength(60);
  });

  it('step series hold their value and keep spikes (max per column)', () => {
    const b = seriesBounds(
      [
        [0, 1],
        [5, 3],
        [5.01, 1],
        [10, 0],
      ],
      {},
    );
    const ys = resample(
      [
        [0, 1],
        [5, 3],
        [5.01, 1],
        [10, 0],
      ],
      11,
      b,
      'step',
    );
    expect(ys).toEqual([1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1]);
  });

  it('joins points of a line (more dots than points)', () => {
    const lines = renderLineChart([0, 10], 4, 4);
    expect(countDots(lines)).toBeGreaterThan(2);
  });
});
