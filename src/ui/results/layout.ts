/**
 * The whole results frame as Lines: header (title, task tabs), a scrolling
 * body (tables and plots, or the comparison table) and a footer (status,
 * help from the keymap). With a height, the frame is at most height − 1
 * lines (Ink redraws the whole terminal otherwise); without, nothing is cut.
 */
import type { PerfTable, TaskResult } from '../../metrics/types.js';
import { helpLine, type Action } from '../keymap.js';
import { commonTableLines, failureTableLines } from './common-table.js';
import { comparisonLines, DEFAULT_COMPARE_COLUMNS } from './comparison.js';
import { clipLine, linesWidth, seg, sideBySide, trimLine, wrapItems, type Line } from './lines.js';
import { perfColumnCount, perfTableLines } from './perf-table.js';
import { plotsLines } from './plots-panel.js';
import type { StatPreset } from './presets.js';
import type { ResultsState } from './state.js';
import { perfTableFor } from './tables-for.js';
import { differencesLines } from './differences-lines.js';
import { REQUEST_COLUMNS, requestListLines, shownRequests } from './requests.js';
import { requestDetailLines } from './request-detail.js';
import { shardTableLines } from './shard-table.js';
import { evalscopeTablesText } from '../../metrics/evalscope-summary.js';
import { renderTable as renderTextTable } from '../../output/tables.js';

export interface LayoutInput {
  results: readonly TaskResult[];
  state: ResultsState;
  presets: readonly StatPreset[];
  /** Terminal columns. */
  width: number;
  /** Terminal rows; undefined = no limit (exports of whole screens). */
  height?: number;
  runDir: string;
  interrupted: boolean;
}

export interface Layout {
  lines: Line[];
  /** Data columns of the table under the cursor. */
  dataCols: number;
  /** Largest useful scroll offset of the body. */
  maxScroll: number;
  /** Visible body lines (the PageUp/PageDown step). */
  page: number;
  /** Rows the drill-down list shows (0 when it is closed). */
  reqCount: number;
}

/** The comparison's help: its rows (tasks) compare, so it sorts. */
export const RESULTS_HELP: readonly Action[] = [
  'results.nextTask',
  'results.colLeft',
  'results.sort',
  'results.reverse',
  'results.scrollUp',
  'results.stats',
  'results.view',
  'results.requests',
  'results.dialect',
  'results.diff',
  'results.export',
  'app.quit',
];

/** A task's tables: rows are different metrics, so no sort keys in its help. */
export const TASK_HELP: readonly Action[] = RESULTS_HELP.filter((a) => a !== 'results.sort' && a !== 'results.reverse');

/** The drill-down's request list, and one request. */
export const REQUESTS_HELP: readonly Action[] = [
  'requests.back',
  'requests.open',
  'requests.failed',
  'results.sort',
  'results.reverse',
  'requests.up',
  'results.colLeft',
  'results.export',
  'app.quit',
];
export const REQUEST_HELP: readonly Action[] = ['requests.up', 'requests.back', 'results.export', 'app.quit'];

function helpFor(state: ResultsState): readonly Action[] {
  if (state.view === 'compare') return RESULTS_HELP;
  if (state.reqs) return state.reqs.detail ? REQUEST_HELP : REQUESTS_HELP;
  return TASK_HELP;
}

function tabsLine(results: readonly TaskResult[], state: ResultsState, width: number): Line {
  const tabs = results.map((r, i) => ({
    text: ` ${i + 1} ${r.key} `,
    active: state.view === 'task' && i === state.task,
  }));
  tabs.push({ text: ' v compare ', active: state.view === 'compare' });
  // Start late enough that the selected tab is visible.
  const sel = Math.max(
    0,
    tabs.findIndex((t) => t.active),
  );
  let start = 0;
  const span = (a: number, b: number): number => tabs.slice(a, b + 1).reduce((w, t) => w + t.text.length + 1, 0);
  while (start < sel && span(start, sel) > width - 2) start++;
  const line: Line = start > 0 ? [seg('‹', 'muted')] : [];
  tabs.slice(start).forEach((t, k) => {
    if (k > 0 || start > 0) line.push(seg(' '));
    line.push(seg(t.text, t.active ? 'tab.active' : 'tab.inactive', t.active ? { inverse: true, bold: true } : {}));
  });
  return line;
}

function taskBody(result: TaskResult, table: PerfTable, state: ResultsState, width: number): Line[] {
  const cursor = Math.min(state.taskCol, perfColumnCount(table) - 1);
  const body: Line[] = [
    [seg(`${result.key}`, 'accent', { bold: true }), seg(`  model ${result.model || '-'}`, 'muted')],
  ];
  body.push(...perfTableLines(table, width, cursor, state.taskSort), []);
  const common = commonTableLines(result.common, width);
  const cw = linesWidth(common);
  if (width - cw - 3 >= 36) {
    // Wide terminal: plots beside the Common Metric table.
    const rows = Math.max(2, Math.floor(common.length / 3) - 2);
    body.push(...sideBySide(common, plotsLines(result.series, width - cw - 3, rows), cw, 3));
  } else {
    body.push(...common, [], ...plotsLines(result.series, width, 4));
  }
  if (result.failures.length > 0) body.push([], ...failureTableLines(result.failures, width));
  if (result.shards && result.shards.length > 0) body.push([], ...shardTableLines(result.shards, width));
  // EvalScope's own layout under --metric-dialect evalscope.
  if (result.evalscope)
    body.push(
      [],
      ...evalscopeTablesText(result.evalscope, renderTextTable)
        .split('\n')
        .map((l) => [seg(l)]),
    );
  return body;
}

export function layoutResults(inp: LayoutInput): Layout {
  const { results, state, width } = inp;
  const preset = inp.presets[state.preset] ?? inp.presets[0];
  const stats = preset?.stats ?? results[0]?.perf.stats ?? [];
  const tables = results.map((r) => perfTableFor(r, stats));
  const header: Line[] = [
    [
      seg('Results', 'header', { bold: true }),
      seg(`  ${inp.runDir}`, 'muted'),
      seg(`  stats: ${preset?.name ?? '-'}`, 'accent'),
      seg(`  dialect: ${results[state.task]?.dialect ?? 'aisbench'}`, 'accent'),
      ...(inp.interrupted ? [seg('  interrupted', 'warning')] : []),
    ],
    tabsLine(results, state, width),
  ];
  const help = wrapItems(helpLine(helpFor(state)).split(', '), width, 2);
  const footerHeight = 1 + help.length;
  const room = inp.height === undefined ? undefined : Math.max(3, inp.height - 1 - header.length - footerHeight);
  let body: Line[];
  let dataCols: number;
  let reqCount = 0;
  const current = results[state.task];
  if (results.length === 0) {
    body = [[seg('No results.', 'muted')]];
    dataCols = 0;
  } else if (state.view === 'compare' || !current) {
    const cursor = Math.min(state.cmpCol, DEFAULT_COMPARE_COLUMNS.length - 1);
    body = comparisonLines(
      results,
      tables.map((t) => t.table),
      width,
      cursor,
      state.cmpSort,
    );
    dataCols = DEFAULT_COMPARE_COLUMNS.length;
  } else if (state.reqs) {
    // The list keeps its selection in view itself: it gets exactly the room there is.
    const rows = current.requests;
    const shown = rows ? shownRequests(rows, state.reqs) : [];
    reqCount = shown.length;
    const sel = shown[Math.min(state.reqs.cursor, shown.length - 1)];
    const r = room ?? (rows?.length ?? 0) + 8;
    body =
      state.reqs.detail && rows && sel
        ? requestDetailLines(current.key, rows, sel, state.reqs.itl, width, r)
        : requestListLines(current.key, rows, state.reqs, width, r);
    dataCols = REQUEST_COLUMNS.length;
  } else if (state.diff) {
    body = differencesLines(current.key, current.differences, current.dialect ?? 'aisbench');
    dataCols = 0;
  } else {
    const t = tables[state.task]!.table;
    body = taskBody(current, t, state, width);
    dataCols = perfColumnCount(t);
  }
  const bodyRoom = room ?? body.length;
  const maxScroll = Math.max(0, body.length - bodyRoom);
  const scroll = Math.min(state.scroll, maxScroll);
  const shown = body.slice(scroll, scroll + bodyRoom);
  const problem =
    state.view === 'task' ? (tables[state.task]?.problem ?? '') : (tables.find((t) => t.problem)?.problem ?? '');
  let status: Line;
  if (state.status) status = [seg(state.status.text, state.status.tone === 'error' ? 'error' : 'success')];
  else if (problem) status = [seg(`stats ${preset?.name ?? ''}: ${problem}`, 'warning')];
  else if (maxScroll > 0) status = [seg(`lines ${scroll + 1}-${scroll + shown.length} of ${body.length}`, 'muted')];
  else status = [];
  const lines = [...header, ...shown, status, ...help.map((h) => [seg(h, 'muted')])].map((l) =>
    trimLine(clipLine(l, width)),
  );
  return { lines, dataCols, maxScroll, page: state.reqs ? Math.max(1, bodyRoom - 4) : bodyRoom, reqCount };
}
