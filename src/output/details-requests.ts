/**
 * The results view's drill-down data, read from a task's details file: one
 * row per measured request (warm-ups left out, as in every metric), and, for
 * one request, its inter-token gaps. Values are each record's view under the
 * task's metric dialect (metrics/dialects.ts viewOf), so the list agrees with
 * the tables above it: TTFT/E2EL/TPOT as defined in metrics/definitions.ts.
 */
import type { RequestRecord } from '../engine/types.js';
import { DEFAULT_DIALECT, dialectNamed, viewOf, type Dialect } from '../metrics/dialects.js';
import type { RequestRow } from '../metrics/types.js';
import { readDetails } from './details-reader.js';
import { sanitizeText } from '../core/sanitize.js';

/** A failure message longer than this is cut (the list shows one line of it). */
const MESSAGE_CHARS = 300;

function dialectOf(d: string | undefined): Dialect {
  return (d !== undefined ? dialectNamed(d) : null) ?? DEFAULT_DIALECT;
}

export function requestRow(r: RequestRecord, line: number, dialect: Dialect): RequestRow {
  const v = viewOf(r, dialect);
  return {
    line,
    id: r.id,
    turn: r.turn,
    ok: v.ok,
    // Codes and messages come from servers or details files: no terminal control gets through.
    code: v.ok ? '' : sanitizeText(r.code ?? 'E_UNKNOWN'),
    message: v.ok ? '' : sanitizeText(r.message ?? '').slice(0, MESSAGE_CHARS),
    sched: r.sched,
    t0: r.t0,
    ttft: v.ttft,
    e2el: v.e2el,
    end: r.end,
    tpot: v.tpot,
    inTok: v.inTok,
    outTok: v.outTok,
  };
}

/** Every measured request of a details file, in file order. */
export async function requestRowsFromDetails(path: string, dialect?: string): Promise<RequestRow[]> {
  const d = dialectOf(dialect);
  const rows: RequestRow[] = [];
  await readDetails(path, (r, line) => {
    if (!r.warmup) rows.push(requestRow(r, line, d));
  });
  return rows;
}

/**
 * The inter-token latencies (ms) of the request on `line`: the gaps between
 * its token-bearing events under the dialect (one value per gap, as the ITL
 * row counts them with one token per chunk); [] when it had fewer than two.
 */
export async function requestItlFromDetails(path: string, line: number, dialect?: string): Promise<number[]> {
  const d = dialectOf(dialect);
  let out: number[] = [];
  await readDetails(path, (r, l) => {
    if (l === line) out = Array.from(viewOf(r, d).gaps, (us) => us / 1000);
  });
  return out;
}
