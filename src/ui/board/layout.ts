/**
 * Pure column layout of the progress table: which columns fit a terminal
 * width, how wide each is, and the text of the header and of each row.
 *
 * Narrow terminals: the required columns (name, progress, time, status,
 * counts) start at their minimum widths; optional columns (tok/s, TTFT,
 * process, sparkline, log path) and wider forms (progress bar, full names,
 * full counts) are added in STEPS order while they fit. Long names and paths
 * are elided with '…'. A shown column is never narrower than its header.
 */
import type { TaskSnapshot } from '../../engine/types.js';
import type { ThemeToken } from '../theme.js';
import {
  fit,
  fitKey,
  fitMiddle,
  formatCounts,
  formatCountsCompact,
  formatDuration,
  formatProgress,
  formatRate,
  formatServer,
  progressParts,
  formatTtft,
} from './format.js';
import { sparkline } from './sparkline.js';

export type ColumnId =
  'name' | 'process' | 'progress' | 'time' | 'eta' | 'status' | 'ttft' | 'tokps' | 'spark' | 'log' | 'ext';

export interface Column {
  id: ColumnId;
  header: string;
  /** Width in terminal columns. */
  width: number;
}

export interface TableLayout {
  columns: Column[];
  /** Width of a full row (columns + separators), in terminal columns. */
  width: number;
  /** True when Extend Parameters uses the compact 'POST/RECV/FIN/FAIL' form. */
  compactCounts: boolean;
  /** Columns reserved after the progress bar for ' done/total [rate it/s]'. */
  progressSuffix: number;
  /** Extend Parameters also shows the server's metrics (there was room). */
  showServer?: boolean;
}

/** A piece of a row, coloured by a theme token when given. */
export interface Segment {
  text: string;
  token?: ThemeToken;
}

export const SEPARATOR = '  ';
/** Lines the table header takes (titles and the rule below them). */
export const TABLE_HEADER_LINES = 2;

const ORDER: ColumnId[] = [
  'name',
  'process',
  'progress',
  'time',
  'eta',
  'status',
  'ttft',
  'tokps',
  'spark',
  'log',
  'ext',
];

const HEADERS: Record<ColumnId, string> = {
  name: 'Task Name',
  process: 'Process',
  progress: 'Progress',
  time: 'Time Cost',
  eta: 'ETA',
  status: 'Status',
  ttft: 'TTFT p50/p99',
  tokps: 'tok/s',
  spark: 'In-flight 60s',
  log: 'Log Path',
  ext: 'Extend Parameters',
};
const COMPACT_EXT_HEADER = 'POST/RECV/FIN/FAIL';
/** Progress bar width (columns) when there is room. */
const BAR_WIDTH = 20;
const SPARK_WIDTH = 30;

const done = (t: TaskSnapshot): number => t.counts.finish + t.counts.fail;
const threadsText = (t: TaskSnapshot): string => (t.threads.length ? t.threads.join(',') : '-');

interface Spec {
  pref: number;
  min: number;
}

type Specs = Record<ColumnId, Spec> & { extCompact: Spec; barSuffix: number };

function measure(tasks: readonly TaskSnapshot[]): Specs {
  let name = 0;
  let proc = 0;
  let progSuffix = 0;
  let progTerse = 0;
  let ttft = 0;
  let log = 0;
  let ext = 0;
  let extCompact = 0;
  for (const t of tasks) {
    name = Math.max(name, t.key.length);
    proc = Math.max(proc, threadsText(t).length);
    // Measure the widest the cell can get (done = total, a 5-character rate) so
    // the layout does not change as counts and rates grow.
    const most = Number.isFinite(t.total) ? t.total : Math.max(done(t), 99_999);
    const parts = progressParts(most, t.total, 99_999);
    progTerse = Math.max(progTerse, parts.terse.length);
    progSuffix = Math.max(progSuffix, parts.suffix.length);
    ttft = Math.max(ttft, formatTtft(t.ttftP50, t.ttftP99).length);
    log = Math.max(log, t.logPath.length);
    ext = Math.max(ext, formatCounts(t.counts).length);
    extCompact = Math.max(extCompact, formatCountsCompact(t.counts).length);
  }
  const suffix = progSuffix + 2; // the bar's brackets
  const h = (id: ColumnId): number => HEADERS[id].length;
  const fixed = (id: ColumnId, w: number): Spec => ({ pref: Math.max(h(id), w), min: Math.max(h(id), w) });
  const nameMin = Math.max(h('name'), Math.min(name, 16));
  return {
    name: { pref: Math.max(h('name'), name), min: nameMin },
    process: { pref: Math.max(h('process'), Math.min(proc, 16)), min: h('process') },
    progress: {
      pref: Math.max(h('progress'), suffix + BAR_WIDTH),
      min: Math.max(h('progress'), progTerse),
    },
    time: fixed('time', 7),
    eta: fixed('eta', 7),
    status: fixed('status', 'inferencing'.length),
    ttft: fixed('ttft', ttft),
    tokps: fixed('tokps', 5),
    spark: { pref: Math.max(h('spark'), SPARK_WIDTH), min: h('spark') },
    log: { pref: Math.max(h('log'), log), min: Math.max(h('log'), Math.min(log, 12)) },
    ext: { pref: Math.max(h('ext'), ext), min: Math.max(h('ext'), ext) },
    barSuffix: suffix,
    extCompact: {
      pref: Math.max(COMPACT_EXT_HEADER.length, extCompact),
      min: Math.max(COMPACT_EXT_HEADER.length, extCompact),
    },
  };
}

type Step =
  | { add: ColumnId }
  | { grow: ColumnId; to: (s: Specs) => number; whole?: boolean }
  | { fullCounts: true }
  | { server: true };

/**
 * After the required columns at their minimum widths, each step adds a column
 * or widens one when the room is left; a step that does not fit is skipped
 * and later (smaller) steps may still apply.
 */
const STEPS: Step[] = [
  { add: 'tokps' },
  { add: 'eta' },
  { grow: 'progress', to: (s) => s.barSuffix + 10, whole: true },
  { add: 'ttft' },
  { grow: 'name', to: (s) => s.name.pref },
  { fullCounts: true },
  { add: 'process' },
  { add: 'spark' },
  { add: 'log' },
  // The server's own metrics (--server-metrics) after the Extend Parameters counts, when there is room.
  { server: true },
  { grow: 'progress', to: (s) => s.progress.pref },
  { grow: 'log', to: (s) => s.log.pref },
  { grow: 'spark', to: (s) => s.spark.pref },
  { grow: 'process', to: (s) => s.process.pref },
];
const REQUIRED: ColumnId[] = ['name', 'progress', 'time', 'status', 'ext'];

/** Column widths for `tasks` on a terminal `width` columns wide. */
export function computeLayout(tasks: readonly TaskSnapshot[], width: number): TableLayout {
  const specs = measure(tasks);
  const widths = new Map<ColumnId, number>(REQUIRED.map((id) => [id, specs[id].min]));
  widths.set('ext', specs.extCompact.min);
  let compactCounts = true;
  let showServer = false;
  const total = (): number => [...widths.values()].reduce((a, b) => a + b, 0) + SEPARATOR.length * (widths.size - 1);
  for (const step of STEPS) {
    const room = width - total();
    if ('add' in step) {
      if (specs[step.add].min + SEPARATOR.length <= room) widths.set(step.add, specs[step.add].min);
    } else if ('server' in step) {
      // Only room left over: the server text never pushes a column out.
      const serverW = Math.max(
        0,
        ...tasks.map((t) => (t.server ? formatServer(t.server).length + (compactCounts ? 1 : 3) : 0)),
      );
      if (serverW > 0 && serverW <= room) {
        widths.set('ext', widths.get('ext')! + serverW);
        showServer = true;
      }
    } else if ('fullCounts' in step) {
      const extra = specs.ext.min - specs.extCompact.min;
      if (extra <= room) {
        widths.set('ext', specs.ext.min);
        compactCounts = false;
      }
    } else {
      const w = widths.get(step.grow);
      const want = step.to(specs) - (w ?? 0);
      if (w === undefined || want <= 0) continue;
      if (want <= room) widths.set(step.grow, w + want);
      else if (!step.whole && room > 0) widths.set(step.grow, w + room);
    }
  }
  const columns = ORDER.filter((id) => widths.has(id)).map((id) => ({
    id,
    header: id === 'ext' && compactCounts ? COMPACT_EXT_HEADER : HEADERS[id],
    width: widths.get(id) ?? 0,
  }));
  return { columns, width: total(), compactCounts, progressSuffix: specs.barSuffix - 2, showServer };
}

/** The header row: titles padded to the column widths. */
export function formatHeader(layout: TableLayout): string {
  return layout.columns.map((c) => fit(c.header, c.width, alignOf(c.id))).join(SEPARATOR);
}

/** The rule under the header (ASCII: wide glyphs cost Ink a slow width lookup per character). */
export function formatRule(layout: TableLayout): string {
  return '-'.repeat(layout.width);
}

function alignOf(id: ColumnId): 'left' | 'right' {
  return id === 'tokps' || id === 'ttft' || id === 'eta' ? 'right' : 'left';
}

/** Time left at the task's completion rate so far: remaining requests / (requests/s); '-' when unknown. */
export function formatEta(t: TaskSnapshot): string {
  const left = t.total - done(t);
  if (t.status !== 'inferencing' || !Number.isFinite(left) || !(t.itPerSec > 0)) return '-';
  return formatDuration((left / t.itPerSec) * 1000);
}

/** One task row as coloured segments whose texts add up to `layout.width` columns. */
export function formatRow(task: TaskSnapshot, layout: TableLayout): Segment[] {
  const out: Segment[] = [];
  layout.columns.forEach((c, i) => {
    if (i > 0) out.push({ text: SEPARATOR });
    const w = c.width;
    switch (c.id) {
      case 'name':
        out.push({ text: fitKey(task.key, w) });
        break;
      case 'process':
        out.push({ text: fit(threadsText(task), w) });
        break;
      case 'progress': {
        const text = fit(formatProgress(done(task), task.total, task.itPerSec, w, layout.progressSuffix), w);
        const hashes = text.startsWith('[') ? (/^\[(#*)/.exec(text)?.[1]?.length ?? 0) : 0;
        if (hashes > 0) {
          out.push(
            { text: '[' },
            { text: text.slice(1, 1 + hashes), token: 'progress.done' },
            { text: text.slice(1 + hashes) },
          );
        } else out.push({ text });
        break;
      }
      case 'time':
        out.push({ text: fit(formatDuration(task.elapsedMs), w) });
        break;
      case 'eta':
        out.push({ text: fit(formatEta(task), w, 'right') });
        break;
      case 'status':
        if (task.verdict && task.status === 'finish') {
          out.push({
            text: fit(task.verdict === 'pass' ? 'slo pass' : 'slo FAIL', w),
            token: task.verdict === 'pass' ? 'status.finish' : 'status.error',
          });
        } else out.push({ text: fit(task.status, w), token: `status.${task.status}` });
        break;
      case 'ttft':
        out.push({ text: fit(formatTtft(task.ttftP50, task.ttftP99), w, 'right') });
        break;
      case 'tokps':
        out.push({ text: fit(formatRate(task.outTokPerSec), w, 'right') });
        break;
      case 'spark':
        out.push({ text: sparkline(task.inflightHistory, w), token: 'sparkline' });
        break;
      case 'log':
        out.push({ text: fitMiddle(task.logPath, w) });
        break;
      case 'ext':
        out.push({
          text: fit(
            layout.compactCounts
              ? formatCountsCompact(task.counts, layout.showServer ? task.server : undefined)
              : formatCounts(task.counts, layout.showServer ? task.server : undefined),
            w,
          ),
        });
        break;
    }
  });
  return out;
}
