/**
 * --search: which config file is behind each task name, as the box table
 * AISBench prints (tabulate's "fancy_grid").
 */
import type { PerfOptions } from '../config/options.js';
import { searchRows, type SearchRow } from '../config/registry.js';

export type { SearchRow };

/** Render rows as a fancy_grid box table: Task Type | Task Name | Config File Path (no trailing newline). */
export function searchTable(rows: SearchRow[]): string {
  const header = ['Task Type', 'Task Name', 'Config File Path'];
  const body = rows.map((r) => [r.type, r.name, r.file]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const rule = (l: string, fill: string, mid: string, r: string) =>
    l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
  const line = (cells: string[]) => '│' + cells.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join('│') + '│';
  const out = [rule('╒', '═', '╤', '╕'), line(header), rule('╞', '═', '╪', '╡')];
  body.forEach((r, i) => {
    if (i > 0) out.push(rule('├', '─', '┼', '┤'));
    out.push(line(r));
  });
  out.push(rule('╘', '═', '╧', '╛'));
  return out.join('\n');
}

/** The --search output for parsed options (unknown names are a UsageError). */
export function searchText(opts: Pick<PerfOptions, 'models' | 'datasets' | 'configDir'>): string {
  return searchTable(searchRows(opts));
}
