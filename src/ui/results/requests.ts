/**
 * The drill-down of a task (key `l`): its requests as a list that sorts by
 * any numeric column and filters to failures, and (Enter) one request's ITL
 * as a sparkline and its place on a text Gantt of the requests around it
 * (request-detail.ts). Pure: state in, Lines out, like the rest of the view.
 */
import type { RequestRow } from '../../metrics/types.js';
import { compactNumber, fit } from './format.js';
import { seg, type Line } from './lines.js';
import { sortRows, type SortState } from './sort.js';
import { renderTable } from './table.js';

export interface RequestsState {
  /** Column cursor (Left/Right) over REQUEST_COLUMNS, and the sort (s / S). */
  col: number;
  sort: SortState | null;
  failedOnly: boolean;
  /** Selected row among the shown (filtered, sorted) rows. */
  cursor: number;
  /** Enter: the selected request's ITL and Gantt instead of the list. */
  detail: boolean;
  /** The ITL (ms) of the request in the detail, once loaded; null while loading. */
  itl: number[] | null;
}

export const initialRequestsState: RequestsState = {
  col: 0,
  sort: null,
  failedOnly: false,
  cursor: 0,
  detail: false,
  itl: null,
};

interface RequestColumn {
  header: string;
  align: 'left' | 'right';
  /** Sort key; status sorts failures (by code) after successes. */
  key: (r: RequestRow) => number;
  cell: (r: RequestRow) => string;
}

/** Failure codes in a stable numeric order for sorting by status (0 = ok). */
function statusKey(r: RequestRow): number {
  if (r.ok) return 0;
  let h = 1;
  for (const ch of r.code) h = h * 31 + ch.charCodeAt(0);
  // E_HTTP_500 and E_HTTP_503 sort by their numbers; other codes after them, grouped.
  const http = /^E_HTTP_(\d+)$/.exec(r.code);
  return http ? Number(http[1]) : 1000 + (h % 1e9);
}

const ms = (v: number): string => compactNumber(v);

export const REQUEST_COLUMNS: readonly RequestColumn[] = [
  { header: 'Status', align: 'left', key: statusKey, cell: (r) => (r.ok ? 'ok' : r.code) },
  { header: 'TTFT (ms)', align: 'right', key: (r) => r.ttft, cell: (r) => ms(r.ttft) },
  { header: 'E2EL (ms)', align: 'right', key: (r) => r.e2el, cell: (r) => ms(r.e2el) },
  { header: 'TPOT (ms)', align: 'right', key: (r) => r.tpot, cell: (r) => ms(r.tpot) },
  { header: 'Out (tok)', align: 'right', key: (r) => r.outTok, cell: (r) => compactNumber(r.outTok, true) },
  { header: 'In (tok)', align: 'right', key: (r) => r.inTok, cell: (r) => compactNumber(r.inTok, true) },
  { header: 'Sent (s)', align: 'right', key: (r) => r.t0, cell: (r) => (r.t0 / 1000).toFixed(3) },
];

/** The rows the list shows, in order: filtered, then sorted (NaN last, ties in file order). */
export function shownRequests(rows: readonly RequestRow[], st: RequestsState): RequestRow[] {
  const kept = st.failedOnly ? rows.filter((r) => !r.ok) : rows;
  return sortRows(kept, st.sort, (r, col) => REQUEST_COLUMNS[col]?.key(r) ?? NaN);
}

/** Where the list window starts so that the cursor is visible, roughly centred. */
export function listWindow(count: number, cursor: number, room: number): number {
  if (count <= room) return 0;
  return Math.max(0, Math.min(count - room, cursor - Math.floor(room / 2)));
}

/**
 * The list: a title line, the table (header, rule, `room` − 3 rows around the
 * cursor) with the selected row in inverse, and the failure message of the
 * selected row under it when it failed.
 */
export function requestListLines(
  key: string,
  rows: readonly RequestRow[] | undefined,
  st: RequestsState,
  width: number,
  room: number,
): Line[] {
  if (!rows) return [[seg(`${key}: reading the requests from the details file...`, 'muted')]];
  const shown = shownRequests(rows, st);
  const failed = rows.reduce((n, r) => n + (r.ok ? 0 : 1), 0);
  const title: Line = [
    seg(`${key}`, 'accent', { bold: true }),
    seg(
      `  requests: ${shown.length} shown of ${rows.length}, ${failed} failed${st.failedOnly ? '  [failed only]' : ''}`,
      'muted',
    ),
  ];
  if (shown.length === 0)
    return [title, [], [seg(st.failedOnly ? 'No failed requests.' : 'No measured requests.', 'muted')]];
  const cursor = Math.min(st.cursor, shown.length - 1);
  const sel = shown[cursor];
  const messageLines = sel && !sel.ok ? 1 : 0;
  const bodyRows = Math.max(1, room - 3 - messageLines);
  const start = listWindow(shown.length, cursor, bodyRows);
  const page = shown.slice(start, start + bodyRows);
  const table = renderTable({
    labels: [{ header: 'Id', align: 'right' }],
    data: REQUEST_COLUMNS.map((c) => ({ header: c.header, align: c.align })),
    rows: page.map((r) => [r.turn > 0 ? `${r.id}.${r.turn}` : String(r.id), ...REQUEST_COLUMNS.map((c) => c.cell(r))]),
    width,
    cursor: st.col,
    sort: st.sort,
  });
  const out: Line[] = [title, ...table.slice(0, 2)];
  table.slice(2).forEach((l, i) => {
    const r = page[i];
    const mark = (s: Line[number]): Line[number] =>
      r && !r.ok && s.text.trim() === r.code ? { ...s, token: 'error' } : s;
    out.push(start + i === cursor ? l.map((s) => ({ ...s, inverse: true })) : l.map(mark));
  });
  if (sel && !sel.ok) out.push([seg(fit(`${sel.code}: ${sel.message || '(no message)'}`, width), 'error')]);
  return out;
}
