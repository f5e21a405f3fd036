/**
 * The per-request values a task keeps (one entry per non-warmup request,
 * failed ones included): 9 doubles ≈ 72 bytes a request, 18 MB at 250,000.
 */
import { F64List } from './f64-list.js';

export const COLUMN_NAMES = ['t0', 'end', 'sched', 'ttft', 'e2el', 'inTok', 'outTok', 'attempts', 'ok', 'itlN'] as const;
export type ColumnName = (typeof COLUMN_NAMES)[number];

/** Read-only views, all of length n. ok is 1/0; itlN = ITL values of the request. */
export type Columns = { readonly n: number } & { readonly [K in ColumnName]: Float64Array };

export class ColumnStore {
  readonly lists: Record<ColumnName, F64List>;

  constructor() {
    this.lists = Object.fromEntries(COLUMN_NAMES.map((c) => [c, new F64List()])) as Record<ColumnName, F64List>;
  }

  get n(): number {
    return this.lists.t0.length;
  }

  push(row: Record<ColumnName, number>): void {
    for (const c of COLUMN_NAMES) this.lists[c].push(row[c]);
  }

  columns(): Columns {
    const out: Record<string, unknown> = { n: this.n };
    for (const c of COLUMN_NAMES) out[c] = this.lists[c].view();
    return out as Columns;
  }

  /** Copies suitable for postMessage. */
  toState(): Record<ColumnName, Float64Array> {
    return Object.fromEntries(COLUMN_NAMES.map((c) => [c, this.lists[c].view().slice()])) as Record<ColumnName, Float64Array>;
  }

  merge(s: Record<ColumnName, Float64Array>): void {
    for (const c of COLUMN_NAMES) this.lists[c].append(s[c]);
  }
}
