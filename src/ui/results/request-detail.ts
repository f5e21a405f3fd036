/**
 * One request of the drill-down: its numbers, its inter-token latencies as a
 * sparkline, and a text Gantt of the requests sent around it on the task's
 * time axis (ms since run start): queued (planned send → actual send),
 * waiting for the first token (send → TTFT), streaming (first → last token).
 */
import type { RequestRow } from '../../metrics/types.js';
import { compactNumber, formatSeconds } from './format.js';
import { seg, type Line } from './lines.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * Values as block characters, one per column: with more values than `width`,
 * each column shows the largest of its values (a spike stays visible). The
 * scale is 0..max, so equal heights mean equal latencies.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (values.length === 0 || width <= 0) return '';
  const cols = Math.min(width, values.length);
  const per = values.length / cols;
  const peaks: number[] = [];
  for (let c = 0; c < cols; c++) {
    let m = 0;
    for (let i = Math.floor(c * per); i < Math.floor((c + 1) * per); i++) m = Math.max(m, values[i] ?? 0);
    peaks.push(m);
  }
  const max = Math.max(...peaks);
  return peaks
    .map((v) => (max > 0 ? BLOCKS[Math.max(0, Math.ceil((v / max) * BLOCKS.length) - 1)] : BLOCKS[0]))
    .join('');
}

/** When a request starts on the Gantt: its planned send time when it waited for it (queued), else its send. */
const startOf = (r: RequestRow): number => (r.sched >= 0 ? Math.min(r.sched, r.t0) : r.t0);
/** When it ends: its last token, or its failure. */
const endOf = (r: RequestRow): number => (r.ok && Number.isFinite(r.e2el) ? r.t0 + r.e2el : Math.max(r.end, r.t0));

/** The requests sent around `sel` (by send time): at most `count`, `sel` among them. */
export function neighbours(rows: readonly RequestRow[], sel: RequestRow, count: number): RequestRow[] {
  const bySend = rows.slice().sort((a, b) => a.t0 - b.t0 || a.line - b.line);
  const i = Math.max(0, bySend.indexOf(sel));
  const from = Math.max(0, Math.min(bySend.length - count, i - Math.floor(count / 2)));
  return bySend.slice(from, from + count);
}

/**
 * One Gantt bar over [lo, hi] ms in `width` cells: '·' queued, '░' waiting
 * for the first token, '█' streaming, 'x' where a failed request ended.
 * Every request gets at least one cell.
 */
export function ganttBar(r: RequestRow, lo: number, hi: number, width: number): Line {
  const span = Math.max(1e-9, hi - lo);
  const cell = (t: number): number => Math.max(0, Math.min(width - 1, Math.floor(((t - lo) / span) * width)));
  const chars: string[] = Array.from({ length: width }, () => ' ');
  const paint = (from: number, to: number, ch: string): void => {
    for (let c = cell(from); c <= cell(to); c++) chars[c] = ch;
  };
  if (r.sched >= 0 && r.sched < r.t0) paint(r.sched, r.t0, '·');
  const first = r.t0 + r.ttft;
  if (r.ok && Number.isFinite(first)) {
    paint(r.t0, first, '░');
    paint(first, endOf(r), '█');
  } else {
    paint(r.t0, endOf(r), '░');
    chars[cell(endOf(r))] = 'x';
  }
  // Segments by character, so each part takes its colour.
  const line: Line = [];
  const token = { '·': 'muted', '░': 'warning', '█': 'success', x: 'error', ' ': undefined } as const;
  let run = '';
  let cur = chars[0] ?? ' ';
  for (const ch of [...chars, '\n']) {
    if (ch === cur) {
      run += ch;
      continue;
    }
    line.push(seg(run, token[cur as keyof typeof token]));
    run = ch;
    cur = ch;
  }
  return line;
}

/** The detail of `sel`: numbers, ITL sparkline, Gantt of `room` − 8 requests around it. */
export function requestDetailLines(
  key: string,
  rows: readonly RequestRow[],
  sel: RequestRow,
  itl: readonly number[] | null,
  width: number,
  room: number,
): Line[] {
  const ms = (v: number): string => `${compactNumber(v)} ms`;
  const out: Line[] = [
    [
      seg(`${key}`, 'accent', { bold: true }),
      seg(`  request ${sel.id}${sel.turn > 0 ? ` turn ${sel.turn}` : ''}  `, 'muted'),
      sel.ok ? seg('ok', 'success') : seg(sel.code, 'error'),
    ],
  ];
  if (!sel.ok) out.push([seg(sel.message || '(no message)', 'error')]);
  const queued = sel.sched >= 0 ? Math.max(0, sel.t0 - sel.sched) : NaN;
  out.push([
    seg(
      `sent at ${compactNumber(sel.t0)} ms` +
        (Number.isFinite(queued) ? `  queued ${ms(queued)}` : '') +
        `  TTFT ${ms(sel.ttft)}  E2EL ${ms(sel.e2el)}  TPOT ${ms(sel.tpot)}  in ${compactNumber(sel.inTok, true)} tok  out ${compactNumber(sel.outTok, true)} tok`,
    ),
  ]);
  out.push([]);
  if (itl === null) out.push([seg('ITL: reading...', 'muted')]);
  else if (itl.length === 0) out.push([seg('ITL: none (fewer than two token-bearing chunks)', 'muted')]);
  else {
    const sum = itl.reduce((a, b) => a + b, 0);
    const per = itl.length > width - 2 ? `, ${compactNumber(itl.length / (width - 2))} gaps a column (their max)` : '';
    out.push([
      seg(
        `ITL (ms): ${itl.length} gaps  min ${compactNumber(Math.min(...itl))}  mean ${compactNumber(sum / itl.length)}  max ${compactNumber(Math.max(...itl))}${per}`,
        'muted',
      ),
    ]);
    out.push([seg(sparkline(itl, width - 2), 'sparkline')]);
  }
  out.push([]);
  const count = Math.max(1, room - out.length - 3);
  const near = neighbours(rows, sel, count);
  const lo = Math.min(...near.map(startOf));
  const hi = Math.max(...near.map(endOf));
  const idW = Math.max(2, ...near.map((r) => String(r.id).length)) + 2;
  const barW = Math.max(10, width - idW - 2);
  out.push([
    seg(
      `Gantt: ${near.length} requests sent around it, ${formatSeconds(lo / 1000)} .. ${formatSeconds(hi / 1000)} since run start`,
      'muted',
    ),
  ]);
  out.push([
    seg('· queued  ', 'muted'),
    seg('░ to first token  ', 'warning'),
    seg('█ streaming  ', 'success'),
    seg('x failed', 'error'),
  ]);
  for (const r of near) {
    const me = r === sel;
    out.push([
      seg(`${me ? '>' : ' '}${String(r.id).padStart(idW - 2)} `, me ? 'accent' : 'muted', me ? { bold: true } : {}),
      seg('|', 'table.border'),
      ...ganttBar(r, lo, hi, barW),
      seg('|', 'table.border'),
    ]);
  }
  return out;
}
