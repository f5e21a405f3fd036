/**
 * The per-request values a task keeps (one entry per non-warmup request,
 * failed ones included): 13 doubles ≈ 104 bytes a request, 26 MB at 250,000.
 */
import { F64List } from './f64-list.js';

/**
 * t0/end: send and stream-close times; last: the dialect's last timed event
 * (absolute ms, NaN for failures); tpot/itlReq: per-request TPOT and
 * one-value-a-request ITL (aiperf) by the dialect's rule (NaN = left out);
 * itlN: 1 when the request counts in the ITL/TPOT N.
 */
export const COLUMN_NAMES = [
  't0',
  'end',
  'last',
  'sched',
  'ttft',
  'e2el',
  'tpot',
  'itlReq',
  'inTok',
  'outTok',
  'attempts',
  'ok',
  'itlN',
] as const;
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
    return Object.fromEntries(COLUMN_NAMES.map((c) => [c, this.lists[c].view().slice()])) as Record<
      ColumnName,
      Float64Array
    >;
  }

  merge(s: Record<ColumnName, Float64Array>): void {
    for (const c of COLUMN_NAMES) this.lists[c].append(s[c]);
  }
}
