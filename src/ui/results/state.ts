/**
 * The results view's state and its pure reducer. The view is a pure function
 * of (results, state, width, height), which is what makes exports equal the
 * screen.
 */
import { initialRequestsState, REQUEST_COLUMNS, type RequestsState } from './requests.js';
import { reverseSort, sortBy, type SortState } from './sort.js';

export interface ResultsState {
  /** Selected task index. */
  task: number;
  view: 'task' | 'compare';
  /** Index into the stat presets. */
  preset: number;
  /** Column cursor and sort of the per-task perf table (data columns: stats, then N). */
  taskCol: number;
  taskSort: SortState | null;
  /** Column cursor and sort of the comparison table. */
  cmpCol: number;
  cmpSort: SortState | null;
  /** First body line shown. */
  scroll: number;
  status: { text: string; tone: 'info' | 'error' } | null;
  /** The differences view (every dialect side by side) instead of the task's tables. */
  diff?: boolean;
  /** The drill-down of the current task (`l`): its request list, or one request. */
  reqs?: RequestsState | null;
}

export const initialResultsState: ResultsState = {
  task: 0,
  view: 'task',
  preset: 0,
  taskCol: 0,
  taskSort: null,
  cmpCol: 0,
  cmpSort: null,
  scroll: 0,
  status: null,
};

export type ResultsAction =
  | { type: 'nextTask' }
  | { type: 'prevTask' }
  | { type: 'selectTask'; index: number }
  | { type: 'colLeft' }
  | { type: 'colRight' }
  | { type: 'sort' }
  | { type: 'reverse' }
  | { type: 'scroll'; by: number }
  | { type: 'cyclePreset' }
  | { type: 'toggleView' }
  | { type: 'toggleDiff' }
  | { type: 'toggleRequests' }
  /** Drill-down: move the selection, filter failures, open/close one request, its ITL loaded. */
  | { type: 'reqMove'; by: number }
  | { type: 'reqFailed' }
  | { type: 'reqOpen' }
  | { type: 'reqBack' }
  | { type: 'reqItl'; itl: number[] }
  /** A message for the status line; cleared when the task or view changes. */
  | { type: 'status'; text: string; tone?: 'info' | 'error' };

/** What the reducer needs to know about the current layout. */
export interface ReduceContext {
  tasks: number;
  presets: number;
  /** Data columns of the table the cursor is on. */
  dataCols: number;
  /** Largest valid scroll (body lines − visible body lines). */
  maxScroll: number;
  /** Rows the drill-down list shows now (after its filter); 0 when closed or loading. */
  reqCount?: number;
}

/** Why 's' does nothing in a task's tables. */
export const UNSORTABLE = "rows here are different metrics (units differ): sort tasks in the comparison ('v')";

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

export function reduceResults(s: ResultsState, a: ResultsAction, ctx: ReduceContext): ResultsState {
  if (s.reqs && s.view === 'task') {
    const r = reduceRequests(s.reqs, a, ctx);
    if (r !== undefined) return { ...s, reqs: r, status: null };
  }
  const inTask = s.view === 'task';
  const col = inTask ? s.taskCol : s.cmpCol;
  const sort = inTask ? s.taskSort : s.cmpSort;
  const withCol = (c: number): ResultsState => (inTask ? { ...s, taskCol: c } : { ...s, cmpCol: c });
  const withSort = (so: SortState): ResultsState => (inTask ? { ...s, taskSort: so } : { ...s, cmpSort: so });
  const n = Math.max(1, ctx.tasks);
  switch (a.type) {
    case 'nextTask':
      return { ...s, task: (s.task + 1) % n, view: 'task', scroll: 0, status: null, reqs: null };
    case 'prevTask':
      return { ...s, task: (s.task - 1 + n) % n, view: 'task', scroll: 0, status: null, reqs: null };
    case 'selectTask':
      return a.index < ctx.tasks ? { ...s, task: a.index, view: 'task', scroll: 0, status: null, reqs: null } : s;
    case 'colLeft':
      return withCol(clamp(col - 1, 0, Math.max(0, ctx.dataCols - 1)));
    case 'colRight':
      return withCol(clamp(col + 1, 0, Math.max(0, ctx.dataCols - 1)));
    // A task's rows are different metrics in different units: an order of them
    // means nothing. Sorting is for rows that compare (tasks in the comparison).
    case 'sort':
      return inTask ? { ...s, status: { text: UNSORTABLE, tone: 'info' } } : withSort(sortBy(sort, col));
    case 'reverse':
      return inTask ? { ...s, status: { text: UNSORTABLE, tone: 'info' } } : withSort(reverseSort(sort, col));
    case 'scroll':
      return { ...s, scroll: clamp(s.scroll + a.by, 0, Math.max(0, ctx.maxScroll)) };
    case 'cyclePreset': {
      // Column indices mean other stats now: keep the cursor, drop the sort.
      return { ...s, preset: (s.preset + 1) % Math.max(1, ctx.presets), taskSort: null, status: null };
    }
    case 'toggleView':
      return { ...s, view: inTask ? 'compare' : 'task', scroll: 0, status: null, reqs: null };
    case 'toggleDiff':
      return { ...s, view: 'task', diff: !s.diff, scroll: 0, reqs: null };
    case 'toggleRequests':
      return { ...s, view: 'task', diff: false, reqs: s.reqs ? null : initialRequestsState, scroll: 0, status: null };
    // Drill-down keys outside the drill-down do nothing.
    case 'reqMove':
    case 'reqFailed':
    case 'reqOpen':
    case 'reqBack':
    case 'reqItl':
      return s;
    case 'status':
      return { ...s, status: { text: a.text, tone: a.tone ?? 'info' } };
  }
}

/** The drill-down's share of the keys; undefined = not a drill-down action (the view handles it). */
function reduceRequests(q: RequestsState, a: ResultsAction, ctx: ReduceContext): RequestsState | null | undefined {
  const count = ctx.reqCount ?? 0;
  const cols = REQUEST_COLUMNS.length;
  switch (a.type) {
    case 'reqMove': {
      const cursor = clamp(q.cursor + a.by, 0, Math.max(0, count - 1));
      // In the detail, moving shows the next request: its ITL is read again.
      return cursor === q.cursor ? q : { ...q, cursor, itl: null };
    }
    case 'reqFailed':
      return { ...q, failedOnly: !q.failedOnly, cursor: 0, detail: false, itl: null };
    case 'reqOpen':
      return count > 0 ? { ...q, detail: true, itl: null } : q;
    case 'reqBack':
      return q.detail ? { ...q, detail: false, itl: null } : null;
    case 'reqItl':
      return { ...q, itl: a.itl };
    case 'colLeft':
      return q.detail ? q : { ...q, col: clamp(q.col - 1, 0, cols - 1) };
    case 'colRight':
      return q.detail ? q : { ...q, col: clamp(q.col + 1, 0, cols - 1) };
    // Requests compare with each other: sorting applies here. The selection goes back to the top.
    case 'sort':
      return q.detail ? q : { ...q, sort: sortBy(q.sort, q.col), cursor: 0 };
    case 'reverse':
      return q.detail ? q : { ...q, sort: reverseSort(q.sort, q.col), cursor: 0 };
    default:
      return undefined;
  }
}
