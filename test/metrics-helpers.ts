/** Builders of RequestRecords for the metrics, details and tables tests. */
import type { RequestRecord } from '../src/engine/types.js';

export interface RecSpec {
  id?: number;
  t0: number;
  ttft?: number;
  /** gaps between chunks, whole µs */
  gaps?: number[];
  k?: number[];
  inTok?: number;
  outTok?: number;
  ok?: boolean;
  end?: number;
  warmup?: boolean;
  sched?: number;
  attempts?: number;
  code?: RequestRecord['code'];
  message?: string;
}

let nextId = 0;

export function rec(s: RecSpec): RequestRecord {
  const ok = s.ok ?? true;
  const gaps = s.gaps ?? [];
  const ttft = ok ? (s.ttft ?? 100) : NaN;
  const e2el = ok ? ttft + gaps.reduce((a, b) => a + b, 0) / 1000 : NaN;
  const r: RequestRecord = {
    id: s.id ?? nextId++,
    turn: 0,
    ok,
    attempts: s.attempts ?? 1,
    sched: s.sched ?? -1,
    t0: s.t0,
    ttft,
    e2el,
    end: s.end ?? (ok ? s.t0 + e2el : s.t0 + 10),
    gapsUs: Uint32Array.from(gaps),
    chunkTokens: s.k ? Uint16Array.from(s.k) : null,
    inTok: s.inTok ?? 10,
    outTok: s.outTok ?? (s.k ? s.k.reduce((a, b) => a + b, 0) : ok ? gaps.length + 1 : 0),
    usage: true,
  };
  if (!ok) r.code = s.code ?? 'E_HTTP_500';
  if (!ok && s.message) r.message = s.message;
  if (s.warmup) r.warmup = true;
  return r;
}
