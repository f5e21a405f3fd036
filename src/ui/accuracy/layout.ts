/**
 * The accuracy results view as lines (pure, so `e` exports what is on
 * screen): the summary table with models as columns, or one task's sample
 * browser, or one opened sample. Every text that came from a server or a
 * dataset goes through sanitizeText before it reaches a line.
 */
import type { AccuracyView } from '../../scoring/view.js';
import type { SampleScore } from '../../scoring/eval.js';
import type { SummaryRow } from '../../scoring/summary.js';
import { sanitizeText } from '../../core/sanitize.js';
import { clipLine, seg, type Line } from '../results/lines.js';
import { FILTERS, type AccuracyState } from './state.js';

/** One sample of the browser: its judgement and, from the predictions, what was sent and answered. */
export interface SampleRow {
  score: SampleScore;
  prompt: string;
  output: string;
}

export interface AccuracyLayout {
  lines: Line[];
  cols: number;
  rows: number;
  maxScroll: number;
}

export interface AccuracyLayoutInput {
  view: AccuracyView;
  state: AccuracyState;
  width: number;
  height: number;
  /** Samples of the task on the current tab (null when not loaded). */
  samples: SampleRow[] | null;
}

const one = (s: string): string => sanitizeText(s).replace(/\s+/g, ' ').trim();
const pad = (s: string, w: number, right = false): string => {
  const cut = [...s].length > w ? [...s].slice(0, Math.max(0, w - 1)).join('') + '…' : s;
  const fill = ' '.repeat(Math.max(0, w - [...cut].length));
  return right ? fill + cut : cut + fill;
};

export function stateOf(s: SampleScore): 'correct' | 'wrong' | 'failed' {
  return s.state !== 'ok' ? 'failed' : s.correct ? 'correct' : 'wrong';
}

/** Samples passing the filter, in dataset order. */
export function filterSamples(rows: readonly SampleRow[], filter: AccuracyState['filter']): SampleRow[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => stateOf(r.score) === filter);
}

/** Summary rows in the chosen order: text columns by text, model columns by number (missing last). */
export function sortSummary(
  rows: readonly SummaryRow[],
  models: readonly string[],
  col: number | null,
  desc: boolean,
): SummaryRow[] {
  if (col === null) return [...rows];
  const keyOf = (r: SummaryRow): string | number | undefined =>
    col === 0
      ? r.dataset
      : col === 1
        ? r.version
        : col === 2
          ? r.metric
          : col === 3
            ? r.mode
            : r.values[models[col - 4]!];
  return [...rows].sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const c = typeof x === 'number' ? x - (y as number) : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
}

function tabsLine(view: AccuracyView, tab: number): Line {
  const line: Line = [];
  const names = ['summary', ...view.results.map((r, i) => `${i + 1} ${r.abbr}/${r.dataset}`)];
  names.forEach((n, i) => {
    if (i > 0) line.push(seg('  '));
    line.push(seg(` ${n} `, i === tab ? 'tab.active' : 'tab.inactive', { inverse: i === tab }));
  });
  return line;
}

function summaryBody(inp: AccuracyLayoutInput): { lines: Line[]; cols: number } {
  const { view, state } = inp;
  const models = view.summary.models;
  const headers = ['dataset', 'version', 'metric', 'mode', ...models];
  const rows = sortSummary(view.summary.rows, models, state.sortCol, state.sortDesc).map((r) => [
    r.dataset,
    r.version,
    r.metric,
    r.mode,
    ...models.map((m) => (r.values[m] === undefined ? '-' : r.values[m]!.toFixed(2))),
  ]);
  const widths = headers.map((h, c) => Math.max(h.length + 1, ...rows.map((r) => r[c]!.length)));
  const head: Line = [];
  headers.forEach((h, c) => {
    const mark = state.sortCol === c ? (state.sortDesc ? '▼' : '▲') : '';
    if (c > 0) head.push(seg('  '));
    head.push(
      seg(pad(h + mark, widths[c]!, c >= 4), state.sortCol === c ? 'table.sorted' : 'table.header', {
        inverse: state.col === c,
        bold: true,
      }),
    );
  });
  const lines: Line[] = [head, [seg(widths.map((w) => '-'.repeat(w)).join('  '), 'table.border')]];
  for (const r of rows) lines.push([seg(r.map((v, c) => pad(v, widths[c]!, c >= 4)).join('  '))]);
  lines.push([]);
  for (const r of view.results) {
    const c = r.counts;
    if (c.failed + c.missing > 0)
      lines.push([seg(`${r.abbr}/${r.dataset}: ${c.failed} failed, ${c.missing} missing (counted wrong)`, 'warning')]);
  }
  lines.push([seg(`Summary files: ${view.files.join(', ')}`, 'muted')]);
  return { lines, cols: headers.length };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(10, width);
  for (const raw of sanitizeText(text, true).split('\n')) {
    const chars = [...raw.replace(/\t/g, '  ')];
    if (chars.length === 0) out.push('');
    for (let i = 0; i < chars.length; i += w) out.push(chars.slice(i, i + w).join(''));
  }
  return out;
}

const TOKEN = { correct: 'success', wrong: 'warning', failed: 'error' } as const;

function sampleBody(row: SampleRow, width: number): Line[] {
  const s = row.score;
  const st = stateOf(s);
  const lines: Line[] = [
    [
      seg(`Sample ${s.sample}`, 'header', { bold: true }),
      seg(`  replica ${s.replica}  `),
      seg(st, TOKEN[st]),
      seg(s.code ? `  ${one(s.code)}` : ''),
    ],
    [seg('Reference: ', 'muted'), seg(one(s.reference))],
    [seg('Extracted: ', 'muted'), seg(s.extracted === null ? '(no answer)' : one(s.extracted))],
    [],
    [seg('Prompt (last turn):', 'header')],
    ...wrap(row.prompt, width - 2).map((l) => [seg('  ' + l)]),
    [],
    [seg('Output:', 'header')],
    ...wrap(row.output, width - 2).map((l) => [seg('  ' + l)]),
  ];
  return lines;
}

export function layoutAccuracy(inp: AccuracyLayoutInput): AccuracyLayout {
  const { view, state, width, height } = inp;
  const top: Line[] = [
    [seg('Accuracy results ', 'header', { bold: true }), seg(view.runDir, 'muted')],
    tabsLine(view, state.tab),
    [],
  ];
  const keys =
    state.tab === 0
      ? "Tab/1-9 task samples, Left/Right column, 's' sort, 'S' reverse, Up/Down scroll, 'e' export, 'q' quit"
      : state.open === null
        ? "Up/Down move, Enter open, 'f' filter, Esc summary, Tab/1-9 task, 'e' export, 'q' quit"
        : "Up/Down scroll, Esc back to the list, 'e' export, 'q' quit";
  const bottom: Line[] = [];
  if (state.status) bottom.push([seg(state.status.text, state.status.tone === 'error' ? 'error' : 'success')]);
  else if (view.interrupted)
    bottom.push([seg('The run was stopped: the summary covers the samples that finished.', 'warning')]);
  bottom.push([seg(keys, 'key')]);
  const room = Math.max(3, height - 1 - top.length - bottom.length);
  let body: Line[];
  let cols = 0;
  let rows = 0;
  let maxScroll = 0;
  if (state.tab === 0) {
    const b = summaryBody(inp);
    cols = b.cols;
    maxScroll = Math.max(0, b.lines.length - room);
    body = b.lines.slice(Math.min(state.scroll, maxScroll), Math.min(state.scroll, maxScroll) + room);
  } else {
    const all = inp.samples ?? [];
    const list = filterSamples(all, state.filter);
    rows = list.length;
    const opened = state.open !== null ? list[state.open] : undefined;
    if (opened) {
      const full = sampleBody(opened, width);
      maxScroll = Math.max(0, full.length - room);
      body = full.slice(Math.min(state.scroll, maxScroll), Math.min(state.scroll, maxScroll) + room);
    } else {
      const counts = FILTERS.map((f) => `${f} ${filterSamples(all, f).length}`);
      const filterLine: Line = [seg('Filter: ', 'muted')];
      FILTERS.forEach((f, i) =>
        filterLine.push(
          seg(` ${counts[i]} `, f === state.filter ? 'tab.active' : 'tab.inactive', { inverse: f === state.filter }),
        ),
      );
      const outW = Math.max(10, width - 8 - 5 - 9 - 14 - 14 - 10);
      const head: Line = [
        seg(
          `${pad('sample', 8)} ${pad('rep', 4)} ${pad('state', 8)} ${pad('extracted', 13)} ${pad('reference', 13)} output`,
          'table.header',
          { bold: true },
        ),
      ];
      const listRoom = Math.max(1, room - 3);
      const first = Math.max(0, Math.min(state.cursor - Math.floor(listRoom / 2), rows - listRoom));
      const shown = list.slice(first, first + listRoom).map((r, i): Line => {
        const s = r.score;
        const st = stateOf(s);
        const text = `${pad(String(s.sample), 8)} ${pad(String(s.replica), 4)} `;
        const rest = ` ${pad(s.extracted === null ? '-' : one(s.extracted), 13)} ${pad(one(s.reference), 13)} ${pad(one(r.output), outW)}`;
        const sel = first + i === state.cursor;
        return [
          seg(text, undefined, { inverse: sel }),
          seg(pad(st, 8), TOKEN[st], { inverse: sel }),
          seg(rest, undefined, { inverse: sel }),
        ];
      });
      body = [
        filterLine,
        [],
        head,
        ...(inp.samples === null
          ? [[seg('loading…', 'muted')]]
          : shown.length
            ? shown
            : [[seg('(no sample matches the filter)', 'muted')]]),
      ];
    }
  }
  const lines = [...top, ...body, ...bottom].map((l) => clipLine(l, width));
  return { lines, cols, rows, maxScroll };
}
