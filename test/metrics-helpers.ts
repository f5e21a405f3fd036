/** Builders of RequestRecords for the metrics, details and tables tests. */
import type { RequestRecord } from '../src/engine/types.js';
import { isTokenKind } from '../src/engine/sse.js';
import { decodeKinds } from '../src/engine/details-codec.js';

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
  /** Event kinds as the details file writes them ("o3teu"); gaps then run between all events and ttft is the first token-bearing event. */
  ev?: string;
  /** With ev: first event − t0, ms (default: ttft minus the gaps before the first token-bearing event). */
  first?: number;
  noDone?: boolean;
}

let nextId = 0;

export function rec(s: RecSpec): RequestRecord {
  const ok = s.ok ?? true;
  const gaps = s.gaps ?? [];
  const ttft = ok ? (s.ttft ?? 100) : NaN;
  const kinds = s.ev ? decodeKinds(s.ev, gaps.length + 1) : null;
  let e2el = ok ? ttft + gaps.reduce((a, b) => a + b, 0) / 1000 : NaN;
  let first = ttft;
  if (kinds) {
    // Event times from the first event; ttft/e2el are the first/last token-bearing ones.
    const at = [0];
    for (const g of gaps) at.push(at[at.length - 1]! + g / 1000);
    const tok = [...kinds.keys()].filter((i) => isTokenKind(kinds[i]!));
    first = s.first ?? (tok.length ? ttft - at[tok[0]!]! : ttft);
    e2el = ok && tok.length ? first + at[tok[tok.length - 1]!]! : NaN;
  }
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
    kinds,
    first,
    chunkTokens: s.k ? Uint32Array.from(s.k) : null,
    inTok: s.inTok ?? 10,
    outTok: s.outTok ?? (s.k ? s.k.reduce((a, b) => a + b, 0) : ok ? gaps.length + 1 : 0),
    usage: true,
  };
  if (!ok) r.code = s.code ?? 'E_HTTP_500';
  if (!ok && s.message) r.message = s.message;
  if (s.warmup) r.warmup = true;
  if (s.noDone) r.noDone = true;
  return r;
}
