/** Stat-list presets that `t` cycles through in the results view. */

export interface StatPreset {
  name: string;
  stats: string[];
}

/** AISBench's default stats list (seed 000). */
export const DEFAULT_STATS = ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'];

/** Tail view: where latency outliers live. */
export const TAIL_STATS = ['Median', 'P90', 'P95', 'P99', 'P99.9', 'Max'];

const same = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * The presets in cycling order: the stats the results were computed with
 * (the CLI's --stats list) first, then default and tail when they differ.
 */
export function statPresets(current: readonly string[]): StatPreset[] {
  const out: StatPreset[] = [];
  const add = (name: string, stats: readonly string[]): void => {
    if (stats.length > 0 && !out.some((p) => same(p.stats, stats))) out.push({ name, stats: [...stats] });
  };
  const isDefault = same(current, DEFAULT_STATS);
  // A custom --stats list is named by its stats ('Average,P95').
  add(isDefault ? 'default' : current.join(','), current);
  add('default', DEFAULT_STATS);
  add('tail', TAIL_STATS);
  return out;
}
