/**
 * State of the accuracy results view, changed only by reduceAccuracy (pure):
 * the summary table (column cursor, numeric sort), the task switcher (0 =
 * summary, i = the sample browser of task i), the browser's filter and
 * cursor, and one opened sample.
 */

export type SampleFilter = 'all' | 'correct' | 'wrong' | 'failed';
export const FILTERS: readonly SampleFilter[] = ['all', 'correct', 'wrong', 'failed'];

export interface AccuracyState {
  /** 0 = the summary; i ≥ 1 = the samples of task i - 1. */
  tab: number;
  /** Summary column under the cursor. */
  col: number;
  sortCol: number | null;
  sortDesc: boolean;
  filter: SampleFilter;
  /** Row under the cursor in the (filtered) sample list. */
  cursor: number;
  /** The opened sample's index in the filtered list, or null. */
  open: number | null;
  /** First line shown of a scrolled body (summary, or the opened sample). */
  scroll: number;
  status: { text: string; tone: 'info' | 'error' } | null;
}

export const initialAccuracyState: AccuracyState = {
  tab: 0,
  col: 0,
  sortCol: null,
  sortDesc: false,
  filter: 'all',
  cursor: 0,
  open: null,
  scroll: 0,
  status: null,
};

export type AccuracyAction =
  | { type: 'nextTab' }
  | { type: 'prevTab' }
  | { type: 'selectTab'; index: number }
  | { type: 'colLeft' }
  | { type: 'colRight' }
  | { type: 'sort' }
  | { type: 'reverse' }
  | { type: 'filter' }
  | { type: 'move'; by: number }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'status'; text: string; tone?: 'info' | 'error' };

export interface AccuracyLimits {
  /** Tasks with a sample browser. */
  tasks: number;
  /** Columns of the summary table. */
  cols: number;
  /** Rows in the current filtered sample list. */
  rows: number;
  /** Largest scroll of the current scrolled body. */
  maxScroll: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function reduceAccuracy(s: AccuracyState, a: AccuracyAction, lim: AccuracyLimits): AccuracyState {
  const tabs = lim.tasks + 1;
  const toTab = (tab: number): AccuracyState => ({ ...s, tab, cursor: 0, open: null, scroll: 0, status: null });
  switch (a.type) {
    case 'nextTab':
      return toTab((s.tab + 1) % tabs);
    case 'prevTab':
      return toTab((s.tab + tabs - 1) % tabs);
    case 'selectTab':
      return a.index >= 0 && a.index < tabs ? toTab(a.index) : s;
    case 'colLeft':
      return s.tab === 0 ? { ...s, col: clamp(s.col - 1, 0, lim.cols - 1) } : s;
    case 'colRight':
      return s.tab === 0 ? { ...s, col: clamp(s.col + 1, 0, lim.cols - 1) } : s;
    case 'sort':
      if (s.tab !== 0) return s;
      // A second 's' on the sorted column flips the order.
      return s.sortCol === s.col ? { ...s, sortDesc: !s.sortDesc } : { ...s, sortCol: s.col, sortDesc: s.col >= 4 };
    case 'reverse':
      return s.tab === 0 && s.sortCol !== null ? { ...s, sortDesc: !s.sortDesc } : s;
    case 'filter': {
      if (s.tab === 0 || s.open !== null) return s;
      const next = FILTERS[(FILTERS.indexOf(s.filter) + 1) % FILTERS.length] ?? s.filter;
      return { ...s, filter: next, cursor: 0 };
    }
    case 'move':
      if (s.tab === 0 || s.open !== null) return { ...s, scroll: clamp(s.scroll + a.by, 0, lim.maxScroll) };
      return { ...s, cursor: clamp(s.cursor + a.by, 0, Math.max(0, lim.rows - 1)) };
    case 'open':
      return s.tab !== 0 && s.open === null && lim.rows > 0 ? { ...s, open: s.cursor, scroll: 0 } : s;
    case 'back':
      if (s.open !== null) return { ...s, open: null, scroll: 0 };
      return s.tab !== 0 ? toTab(0) : s;
    case 'status':
      return { ...s, status: { text: a.text, tone: a.tone ?? 'info' } };
  }
}
