/** Pure sparkline: numbers → '▁▂▃▄▅▆▇█', for the in-flight history column. */

const BARS = '▁▂▃▄▅▆▇█';

/**
 * Reduces `values` (oldest first) to at most `width` buckets by averaging
 * neighbours, so one glyph may stand for several samples on narrow columns.
 */
export function binValues(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (values.length <= width) return values.slice();
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j] ?? 0;
    out.push(sum / Math.max(1, to - from));
  }
  return out;
}

/**
 * A sparkline exactly `width` columns wide, newest sample at the right, padded
 * with spaces on the left while history is short. Scale is 0..max (`max`
 * defaults to the largest value), so an idle task reads as a flat '▁' line.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  const bins = binValues(values, width);
  const top = max ?? bins.reduce((m, v) => (v > m ? v : m), 0);
  let line = '';
  for (const v of bins) {
    const level = top > 0 && Number.isFinite(v) ? Math.round((Math.max(0, v) / top) * (BARS.length - 1)) : 0;
    line += BARS[Math.min(BARS.length - 1, level)];
  }
  return line.padStart(width);
}
