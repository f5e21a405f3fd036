/**
 * The details file: `performances/<abbr>/<dataset>_details.jsonl`.
 *
 * One JSON object per line, one line per finished request (warmups too),
 * appended and flushed as requests finish, so a crash keeps every finished
 * request (at worst the last line is cut short; readers skip it).
 *
 *   {"id":0,"turn":0,"ok":true,"att":1,"sched":-1,"t0":0.512,"ttft":50.204,
 *    "e2el":690.118,"end":690.7,"in":128,"out":64,"usage":true,"n":64,
 *    "gaps":"oJwBAgMB..."}
 *
 *   id, turn   dataset entry and turn (multi-turn conversations)
 *   ok         success; when false: code (e.g. "E_HTTP_500") and msg
 *   att        attempts made (1 = no retry)
 *   warm       1 for a warmup request (excluded from every metric)
 *   sched      planned send time, ms since run start (−1 = unscheduled)
 *   t0         actual send time; end = when the request ended (ms since run start)
 *   ttft, e2el first / last token-bearing event − t0, ms (null when none came)
 *   in, out    input / output tokens; usage = true when the server reported them
 *   n          timed events received (every SSE event but [DONE] and keep-alives)
 *   ev         only when some event is not a text delta: the kind of each of
 *              the n events, run-length coded as [count]letter ("o41teu" =
 *              1 role-only, 41 text, 1 empty, 1 usage-only event). Letters:
 *              t text, r reasoning, c tool call (these carry tokens), o
 *              role-only, e empty delta, u usage without choices, x other;
 *              upper case = the event also carried usage. Without ev every
 *              event is a text delta (files written before events were
 *              classified held token-bearing chunks only, so they read the same)
 *   f0         with ev: first event of any kind − t0, ms
 *   nd         1 when a successful stream ended without data: [DONE]
 *   rtok       reasoning tokens as the server reported them
 *   lin        the client's own prompt count (tokenizer / synthetic target) beside server usage
 *   lout       the local tokenizer's count of the answer text beside server usage
 *   k          only when some token-bearing event carried ≠ 1 token: run-length
 *              [[count, tokens], ...] over the n events (0 for events without tokens)
 *   gaps       the n − 1 gaps between consecutive events, whole µs, as
 *              base64 of varints: each gap minus the previous (the first
 *              minus 0), zigzag-mapped (0,−1,1,−2… → 0,1,2,3…), LEB128
 *              (7 bits a byte, low first, high bit = more). Always the last field.
 *   Times are ms with 3 decimals (µs). Event i arrives at t0 + f0 + Σ gaps[0..i)
 *   (f0 = ttft without ev).
 *
 * Why this shape: a gap is ~2 bytes of varint (~2.7 characters of base64)
 * when decoding is steady, so 250,000 requests × 4,096 tokens fit in ~3 GB,
 * while every line stays plain JSON a user can read back. A minimal reader,
 * without this package (Node):
 *
 *   function gapsOf(b64) {
 *     const b = Buffer.from(b64, 'base64'), out = [];
 *     let prev = 0, v = 0, mult = 1;
 *     for (const x of b) {
 *       v += (x & 127) * mult; mult *= 128;
 *       if (x < 128) { prev += v % 2 ? -(v + 1) / 2 : v / 2; out.push(prev); v = 0; mult = 1; }
 *     }
 *     return out; // µs
 *   }
 *   for (const line of fs.readFileSync(f, 'utf8').split('\n'))
 *     if (line) { const r = JSON.parse(line); r.gaps = gapsOf(r.gaps); ... }
 */
import type { ErrorCode, RequestRecord } from './types.js';
import { decodeGaps, encodeGaps } from './gap-varint.js';
import { isTokenKind } from './sse.js';

const KIND_LETTERS = 'trcoeux';

/** Kinds → run-length letters ("o41teu"). */
export function encodeKinds(kinds: Uint8Array): string {
  let out = '';
  for (let i = 0; i < kinds.length;) {
    const k = kinds[i]!;
    let j = i + 1;
    while (j < kinds.length && kinds[j] === k) j++;
    const letter = KIND_LETTERS[k & 7] ?? 'x';
    out += (j - i > 1 ? String(j - i) : '') + (k & 8 ? letter.toUpperCase() : letter);
    i = j;
  }
  return out;
}

/** Run-length letters → kinds; throws when they do not cover exactly n events. */
export function decodeKinds(s: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let p = 0;
  const re = /(\d*)([a-zA-Z])/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(s)) !== null) {
    at = re.lastIndex;
    const count = m[1] ? Number(m[1]) : 1;
    const lower = m[2]!.toLowerCase();
    const k = KIND_LETTERS.indexOf(lower);
    if (k < 0) throw new Error(`field 'ev' has an unknown kind '${m[2]}'`);
    if (p + count > n) throw new Error(`field 'ev' covers more than n = ${n} events`);
    out.fill(k | (m[2] !== lower ? 8 : 0), p, p + count);
    p += count;
  }
  if (at !== s.length || p !== n) throw new Error(`field 'ev' covers ${p} events, n says ${n}`);
  return out;
}

let scratch: Uint8Array = new Uint8Array(16384);

const r3 = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** Run-length of chunk token counts, or undefined when every chunk carried 1. */
function kRuns(k: Uint32Array | null, kinds: Uint8Array | null): Array<[number, number]> | undefined {
  if (!k) return undefined;
  let plain = true;
  for (let i = 0; i < k.length && plain; i++) plain = k[i] === (kinds === null || isTokenKind(kinds[i]!) ? 1 : 0);
  if (plain) return undefined;
  const runs: Array<[number, number]> = [];
  for (const x of k) {
    const last = runs[runs.length - 1];
    if (last && last[1] === x) last[0]++;
    else runs.push([1, x]);
  }
  return runs;
}

/** One record as one JSON line (no newline). */
export function encodeRecord(r: RequestRecord): string {
  const enc = encodeGaps(r.gapsUs, scratch);
  scratch = enc.bytes;
  const o: Record<string, unknown> = { id: r.id, turn: r.turn, ok: r.ok };
  if (!r.ok) {
    o.code = r.code ?? 'E_UNKNOWN';
    if (r.message) o.msg = r.message;
  }
  o.att = r.attempts;
  if (r.retries?.length) o.tries = r.retries;
  if (r.warmup) o.warm = 1;
  o.sched = r3(r.sched);
  o.t0 = r3(r.t0);
  o.ttft = r3(r.ttft);
  o.e2el = r3(r.e2el);
  o.end = r3(r.end);
  o.in = r.inTok;
  o.out = r.outTok;
  o.usage = r.usage;
  const n = r.gapsUs.length > 0 || Number.isFinite(r.first) || Number.isFinite(r.ttft) ? r.gapsUs.length + 1 : 0;
  o.n = n;
  if (r.kinds) {
    o.ev = encodeKinds(r.kinds);
    o.f0 = r3(r.first);
  }
  if (r.noDone) o.nd = 1;
  if (r.reasoningTokens !== undefined) o.rtok = r.reasoningTokens;
  if (r.localIn !== undefined) o.lin = r.localIn;
  if (r.localOut !== undefined) o.lout = r.localOut;
  const k = kRuns(r.chunkTokens, r.kinds);
  if (k) o.k = k;
  o.gaps = Buffer.from(enc.bytes.buffer, enc.bytes.byteOffset, enc.length).toString('base64');
  return JSON.stringify(o);
}

const num = (o: Record<string, unknown>, f: string, nullable = false): number => {
  const v = o[f];
  if (typeof v === 'number') return v;
  if (nullable && v === null) return NaN;
  throw new Error(`field '${f}' missing or not a number`);
};

/**
 * A record from a parsed line whose gaps are already decoded (`gaps` of
 * length n − 1; checkGaps = false for a header-only pass). Throws a one-line Error on a missing or mistyped field.
 */
export function recordFrom(o: Record<string, unknown>, gaps: Uint32Array, checkGaps = true): RequestRecord {
  if (typeof o.ok !== 'boolean') throw new Error(`field 'ok' missing or not a boolean`);
  const n = num(o, 'n');
  if (checkGaps && gaps.length !== Math.max(0, n - 1)) throw new Error(`'gaps' holds ${gaps.length} gaps, n says ${n}`);
  let kinds: Uint8Array | null = null;
  if (o.ev !== undefined) {
    if (typeof o.ev !== 'string') throw new Error(`field 'ev' is not a string`);
    kinds = decodeKinds(o.ev, n);
  }
  let chunkTokens: Uint32Array | null = null;
  if (o.k !== undefined) {
    if (!Array.isArray(o.k)) throw new Error(`field 'k' is not a list`);
    chunkTokens = new Uint32Array(n);
    let p = 0;
    for (const run of o.k as unknown[]) {
      if (!Array.isArray(run) || typeof run[0] !== 'number' || typeof run[1] !== 'number')
        throw new Error(`field 'k' has a bad run`);
      chunkTokens.fill(run[1], p, p + run[0]);
      p += run[0];
    }
    if (p !== n) throw new Error(`field 'k' covers ${p} chunks, n says ${n}`);
  }
  const r: RequestRecord = {
    id: num(o, 'id'),
    turn: num(o, 'turn'),
    ok: o.ok,
    attempts: num(o, 'att'),
    sched: num(o, 'sched', true),
    t0: num(o, 't0'),
    ttft: num(o, 'ttft', true),
    e2el: num(o, 'e2el', true),
    end: num(o, 'end'),
    gapsUs: gaps,
    kinds,
    first: NaN,
    chunkTokens,
    inTok: num(o, 'in'),
    outTok: num(o, 'out'),
    usage: o.usage === true,
  };
  if (typeof o.code === 'string') r.code = o.code as ErrorCode;
  if (typeof o.msg === 'string') r.message = o.msg;
  if (o.warm === 1 || o.warm === true) r.warmup = true;
  r.first = kinds ? num(o, 'f0', true) : r.ttft;
  if (o.nd === 1) r.noDone = true;
  if (Array.isArray(o.tries)) r.retries = o.tries as Array<[number, number, string]>;
  if (typeof o.rtok === 'number') r.reasoningTokens = o.rtok;
  if (typeof o.lin === 'number') r.localIn = o.lin;
  if (typeof o.lout === 'number') r.localOut = o.lout;
  return r;
}

/** Decode base64 gaps text into a fresh Uint32Array of `count` gaps; throws when corrupt. */
export function decodeGapsBase64(b64: string, count: number): Uint32Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Uint32Array(count);
  const got = decodeGaps(bytes, 0, bytes.length, out);
  if (got !== count)
    throw new Error(`'gaps' is corrupt (${got < 0 ? 'truncated varint' : `${got} gaps, n says ${count + 1}`})`);
  return out;
}

/** One line back into a record (throws a one-line Error when malformed). */
export function decodeLine(line: string): RequestRecord {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    throw new Error('not a JSON object');
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('not a JSON object');
  const rec = o as Record<string, unknown>;
  if (typeof rec.gaps !== 'string') throw new Error(`field 'gaps' missing or not a string`);
  const n = num(rec, 'n');
  return recordFrom(rec, decodeGapsBase64(rec.gaps, Math.max(0, n - 1)));
}
