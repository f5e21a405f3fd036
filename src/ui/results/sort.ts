/**
 * Pure, numeric sorting for the results tables. Rows are ordered by their
 * numbers, never by formatted strings ('9.5 ms' < '10.2 ms'), and undefined
 * values (NaN) always go last whichever the direction, so a reversed sort
 * still shows real numbers first.
 */

export type SortDir = 'asc' | 'desc';

/** A table's sort: the column index it sorts by and the direction. */
export interface SortState {
  col: number;
  dir: SortDir;
}

/** Comparator with NaN last in both directions. */
export function compareNumbers(a: number, b: number, dir: SortDir): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (a === b) return 0;
  return dir === 'asc' ? (a < b ? -1 : 1) : a < b ? 1 : -1;
}

/**
 * Row order for `values` (one key per row): indices into `values`, stable for
 * ties (equal keys keep their original order).
 */
export function sortOrder(values: readonly number[], dir: SortDir): number[] {
  return values.map((v, i) => i).sort((i, j) => compareNumbers(values[i] ?? NaN, values[j] ?? NaN, dir) || i - j);
}

/** Applies `sort` to rows given a key function; without a sort, the original order. */
export function sortRows<T>(rows: readonly T[], sort: SortState | null, key: (row: T, col: number) => number): T[] {
  if (!sort) return rows.slice();
  const order = sortOrder(
    rows.map((r) => key(r, sort.col)),
    sort.dir,
  );
  return order.map((i) => rows[i] as T);
}

/** `s` on a column: ascending, or if that column is already sorted, keeps its direction. */
export function sortBy(prev: SortState | null, col: number): SortState {
  return prev && prev.col === col ? prev : { col, dir: 'asc' };
}

/** `S`/`r`: flips the direction (sorting the cursor column descending if unsorted). */
export function reverseSort(prev: SortState | null, col: number): SortState {
  if (!prev || prev.col !== col) return { col, dir: 'desc' };
  return { col, dir: prev.dir === 'asc' ? 'desc' : 'asc' };
}
