/** Pure text formatting for the board: no React, no colours. */
import type { ServerLatest, TaskCounts } from '../../engine/types.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time as 'YYYY-MM-DD HH:MM:SS' (epoch ms in). */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

/** Elapsed time as H:MM:SS (ms in; hours are not wrapped at 24). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  return `${Math.floor(s / 3600)}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** A rate with one decimal below 100 and a k/M suffix above 10,000 (e.g. 0.1, 523, 12.3k). */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec < 0) return '-';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(1)}M`;
  if (perSec >= 1e4) return `${(perSec / 1e3).toFixed(1)}k`;
  if (perSec >= 100) return String(Math.round(perSec));
  return perSec.toFixed(1);
}

/** A duration in ms, compact: '850ms', '12ms', '1.25s', '-' when unknown. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 10) return `${Math.round(ms)}ms`;
  return `${ms.toFixed(1)}ms`;
}

/** TTFT median and p99 as one cell: '120ms/480ms'. */
export function formatTtft(p50: number, p99: number): string {
  if (!Number.isFinite(p50)) return '-';
  return `${formatMs(p50)}/${formatMs(p99)}`;
}

/** Requests done (finished or failed) out of the planned total ('?' when unbounded). */
export function formatDone(done: number, total: number): string {
  return `${done}/${Number.isFinite(total) ? total : '?'}`;
}

/** The texts around the progress bar: ' 3/8 [0.1 it/s]' after it, and '3/8 0.1it/s' when there is no room for a bar. */
export function progressParts(done: number, total: number, itPerSec: number): { suffix: string; terse: string } {
  const counts = formatDone(done, total);
  const rate = formatRate(itPerSec);
  return { suffix: ` ${counts} [${rate} it/s]`, terse: `${counts} ${rate}it/s` };
}

/**
 * Progress cell of at most `width` characters: '[###   ] 3/8 [0.1 it/s]' as in
 * the seed; the bar shrinks first, then goes, then the rate goes.
 */
export function formatProgress(done: number, total: number, itPerSec: number, width: number, suffixWidth = 0): string {
  const parts = progressParts(done, total, itPerSec);
  const terse = parts.terse;
  // A common suffix width keeps the bars of all rows the same length.
  const suffix = parts.suffix.padEnd(suffixWidth);
  const barWidth = width - suffix.length - 2;
  if (barWidth >= 3) {
    const frac = Number.isFinite(total) && total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.floor(frac * barWidth);
    return `[${'#'.repeat(filled)}${' '.repeat(barWidth - filled)}]${suffix}`;
  }
  return terse.length <= width ? terse : formatDone(done, total);
}

/** Extend Parameters, wide form: 'POST 4 RECV 3 FINISH 3 FAIL 0', then the server's own metrics when scraped. */
export function formatCounts(c: TaskCounts, server?: ServerLatest): string {
  return `POST ${c.post} RECV ${c.recv} FINISH ${c.finish} FAIL ${c.fail}${server ? ` | ${formatServer(server)}` : ''}`;
}

/** Extend Parameters, narrow form under the header 'POST/RECV/FIN/FAIL': '4/3/3/0'. */
export function formatCountsCompact(c: TaskCounts, server?: ServerLatest): string {
  return `${c.post}/${c.recv}/${c.finish}/${c.fail}${server ? ` ${formatServer(server)}` : ''}`;
}

const pct = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(v < 10 ? 1 : 0)}%`);

/** The server's latest metrics (--server-metrics): 'srv run 16 wait 48 KV 63% hit 87%'; 'srv missing ...' when the last scrape failed. */
export function formatServer(s: ServerLatest): string {
  return `srv${s.missing ? ' missing' : ''} run ${s.running ?? '-'} wait ${s.waiting ?? '-'} KV ${pct(s.kvPct)} hit ${pct(s.prefixHitPct)}`;
}

/** Display width of a string, counting each UTF-16 code unit as one column (the board is ASCII plus '…' and block glyphs). */
export function textWidth(s: string): number {
  return s.length;
}

/** Cuts `s` to `width` columns with a trailing '…' (or pads it with spaces), aligned left or right. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (s.length > width) return width === 1 ? '…' : `${s.slice(0, width - 1)}…`;
  return align === 'left' ? s.padEnd(width) : s.padStart(width);
}

/** Cuts `s` in the middle to `width` columns ('vllm-api…/gsm8k'), keeping both ends readable. */
export function fitMiddle(s: string, width: number): string {
  if (s.length <= width) return s.padEnd(width);
  if (width <= 2) return fit(s, width);
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return `${s.slice(0, head)}…${s.slice(s.length - tail)}`;
}

/** Fits a task key 'abbr/dataset' to `width`, eliding each half in its middle so both the model and the dataset stay recognisable. */
export function fitKey(key: string, width: number): string {
  const slash = key.indexOf('/');
  if (key.length <= width || slash < 0 || width < 7) return fitMiddle(key, width);
  const abbr = key.slice(0, slash);
  const dataset = key.slice(slash + 1);
  const half = Math.floor((width - 1) / 2);
  // A short half keeps its full text and the other half gets the rest.
  const abbrWidth = abbr.length <= half ? abbr.length : Math.max(half, width - 1 - dataset.length);
  const dsWidth = width - 1 - abbrWidth;
  return `${fitMiddle(abbr, abbrWidth)}/${fitMiddle(dataset, dsWidth)}`;
}
