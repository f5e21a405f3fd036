/**
 * Incremental Server-Sent Events parser tuned for OpenAI-style token streams.
 *
 * - Bytes may be split anywhere (inside `data:`, inside a UTF-8 character,
 *   between `\r` and `\n`): undecoded bytes and partial lines are carried over.
 * - Lines end in `\n`, `\r\n` or a bare `\r` (the SSE spec allows all three);
 *   a UTF-8 byte order mark at the start of the stream is dropped. `:`
 *   comment lines and `event:`/`id:`/`retry:` fields are ignored (keep-alives);
 *   several `data:` lines of one event are joined with `\n`, and an event is
 *   dispatched on the blank line.
 * - Every event but `[DONE]` and empty payloads is timed and classified
 *   (EV_* below): text, reasoning and tool-call deltas are token-bearing; the
 *   role-only first chunk, empty deltas (finish chunks) and usage-only chunks
 *   are not. Each metric dialect (src/metrics/dialects.ts) then picks the
 *   events it times, so one record serves every dialect.
 * - Every event of one network read gets the read's arrival time: that is
 *   when the client could first have seen it.
 *
 * Hot path: a text event is accepted without JSON.parse, and before any
 * scan for keys, only when everything around its text value is byte for byte
 * what surrounded the text of the last event that JSON.parse accepted (a
 * server repeats the same envelope: id, model, `"finish_reason":null`...).
 * Any other event (the first of each shape, the last one with its
 * finish_reason, usage and error events, events without a non-empty known
 * key) is scanned and parsed fully, so a broken envelope such as
 * `{"content":"x",,}` is E_BAD_SSE. Not checked on the hot path: the escapes
 * inside the text value itself. Costs per 200-character event (bench/
 * sse-parser.mjs): a regular expression over every event 130 ns; each
 * indexOf of a key ~150 ns (three of them ran before the envelope check until
 * #13's speed pass); the envelope comparison ~40 ns.
 */
import { StringDecoder } from 'node:string_decoder';

const CONTENT_KEYS = ['"content":', '"text":', '"reasoning_content":', '"reasoning":'];

/** Event kinds (stored per event only when a stream has any but EV_TEXT). */
export const EV_TEXT = 0;
export const EV_REASONING = 1;
export const EV_TOOL = 2;
export const EV_ROLE = 3;
export const EV_EMPTY = 4;
/** No choices, carries usage. */
export const EV_USAGE = 5;
/** Anything else (no choices, no usage; an in-stream error object). */
export const EV_OTHER = 6;
/** Or-ed into a kind when an event with choices also carries usage. */
export const USAGE_FLAG = 8;

/** True for the kinds that carry generated tokens. */
export function isTokenKind(kind: number): boolean {
  const k = kind & 7;
  return k === EV_TEXT || k === EV_REASONING || k === EV_TOOL;
}

export class SseTokenParser {
  /** Arrival time (ms) of every timed event. */
  readonly times: number[] = [];
  /** Per event: raw text length for token-bearing events (≥ 1), 0 for the others. */
  readonly lens: number[] = [];
  /** Per-event kinds, created at the first event that is not plain text (null = all EV_TEXT). */
  kinds: number[] | null = null;
  /** Token-bearing events, and the first answer (EV_TEXT) event's index (-1 = none). */
  tokenEvents = 0;
  firstAnswer = -1;
  /** `[DONE]` seen. */
  done = false;
  /** Usage reported by the server (-1 = none). */
  promptTokens = -1;
  completionTokens = -1;
  /** `usage.completion_tokens_details.reasoning_tokens` (-1 = none). */
  reasoningTokens = -1;
  /** First malformed-event or server-error description, if any. */
  error: { code: 'E_BAD_SSE' | 'E_SERVER_ERROR'; message: string } | null = null;
  /** Events dispatched (any kind, [DONE] and keep-alives too), for diagnostics. */
  events = 0;

  /** Streamed text, collected only when asked (multi-turn needs the answer). */
  readonly text: string[] | null;

  constructor(collectText = false) {
    this.text = collectText ? [] : null;
  }

  private readonly decoder = new StringDecoder('utf8');
  /**
   * The unfinished line, in the pieces it arrived in. Joined only once its
   * line end arrives: re-joining and re-scanning it on every read made one
   * large event in small reads quadratic (256 KB one byte per read: 35 s).
   */
  private pending: string[] = [];
  private data: string | null = null;
  private started = false;
  /** The last read ended in `\r`: a `\n` opening the next read belongs to it. */
  private skipLf = false;
  /** The envelope around the text value of the last token event JSON.parse accepted (null = none yet). */
  private shapeHead: string | null = null;
  private shapeTail = '';

  /** Feed one network read that arrived at `t` (ms). */
  push(buf: Buffer, t: number): void {
    let text = this.decoder.write(buf);
    if (text.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    if (text.indexOf('\r') !== -1) {
      this.skipLf = text.charCodeAt(text.length - 1) === 13;
      text = text.replace(/\r\n?/g, '\n');
    }
    if (this.pending.length > 0) {
      // Still inside the same line: keep the piece, scan only the new bytes.
      if (text.indexOf('\n') === -1) {
        if (text.length > 0) this.pending.push(text);
        return;
      }
      this.pending.push(text);
      text = this.pending.join('');
      this.pending = [];
    }
    let pos = 0;
    const len = text.length;
    while (pos < len) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        this.pending.push(text.slice(pos));
        return;
      }
      if (nl === pos) {
        if (this.data !== null) this.dispatch(t);
      } else if (text.startsWith('data:', pos)) {
        const start = text.charCodeAt(pos + 5) === 32 ? pos + 6 : pos + 5;
        const payload = text.slice(start, nl);
        this.data = this.data === null ? payload : this.data + '\n' + payload;
      }
      pos = nl + 1;
    }
  }

  /** The stream ended: dispatch a last event that had no blank line after it. */
  end(t: number): void {
    let line = this.pending.join('') + this.decoder.end();
    this.pending = [];
    if (!this.started && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    line = line.replace(/\r\n?/g, '\n').replace(/\n$/, '');
    if (line.startsWith('data:')) {
      const payload = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
      this.data = this.data === null ? payload : this.data + '\n' + payload;
    }
    if (this.data !== null) this.dispatch(t);
  }

  /** Index of the first / last token-bearing event (-1 = none). */
  firstToken(): number {
    if (this.kinds === null) return this.times.length > 0 ? 0 : -1;
    for (let i = 0; i < this.kinds.length; i++) if (isTokenKind(this.kinds[i]!)) return i;
    return -1;
  }

  lastToken(): number {
    if (this.kinds === null) return this.times.length - 1;
    for (let i = this.kinds.length - 1; i >= 0; i--) if (isTokenKind(this.kinds[i]!)) return i;
    return -1;
  }

  /** Record one timed event. `len` > 0 for token-bearing kinds. */
  protected add(t: number, kind: number, len: number): void {
    const i = this.times.length;
    this.lastKind = kind;
    this.times.push(t);
    this.lens.push(len);
    if (kind !== EV_TEXT && this.kinds === null) this.kinds = new Array<number>(i).fill(EV_TEXT);
    if (this.kinds !== null) this.kinds.push(kind);
    if (isTokenKind(kind)) {
      this.tokenEvents++;
      if ((kind & 7) === EV_TEXT && this.firstAnswer < 0) this.firstAnswer = i;
    }
  }

  private dispatch(t: number): void {
    const payload = this.data as string;
    this.data = null;
    this.events++;
    if (payload === '[DONE]') {
      this.done = true;
      return;
    }
    const p = payload.trim();
    if (p.length === 0) return; // keep-alive
    if (p.charCodeAt(0) !== 123 /* { */ || p.charCodeAt(p.length - 1) !== 125 /* } */) {
      this.add(t, EV_OTHER, 0);
      this.fail('E_BAD_SSE', `malformed SSE event: ${quote(p)}`);
      return;
    }
    if (this.text === null && this.sameShape(p)) {
      this.add(t, this.shapeKind, p.length - this.shapeTail.length - (this.shapeHead as string).length);
      return;
    }
    if (this.text !== null || p.includes('"error"') || hasObjectKey(p, '"usage":')) {
      this.parseFully(p, t);
      return;
    }
    for (let k = 0; k < CONTENT_KEYS.length; k++) {
      const at = p.indexOf(CONTENT_KEYS[k]!);
      if (at === -1) continue;
      const start = stringStartAt(p, at + CONTENT_KEYS[k]!.length);
      const end = start < 0 ? -1 : stringEnd(p, start);
      if (end <= start) continue;
      // A new envelope (sameShape said no): JSON.parse decides, and a good one becomes the reference.
      if (this.parseFully(p, t) && isTokenKind(this.lastKind)) {
        // Flat copies, not slices that keep the whole read alive.
        this.shapeHead = Buffer.from(p.slice(0, start)).toString();
        this.shapeTail = Buffer.from(p.slice(end)).toString();
        this.shapeKind = k < 2 ? EV_TEXT : EV_REASONING;
      }
      return;
    }
    // Role-only, empty, tool-call and unknown events are rare: parse them.
    this.parseFully(p, t);
  }

  /**
   * True when `p` is the reference envelope around a new non-empty string
   * value: the head and tail equal byte for byte, and the first unescaped
   * quote after the head is where the tail starts. Such an event has the
   * reference's structure, so it has no error object, no usage object and the
   * same first content key the scan below would find (none of `"error"`,
   * `"usage":`, `"content":` can appear inside a JSON string value, whose
   * quotes are all escaped). Checked before those three scans because they
   * are most of the parser's cost (each indexOf ~150 ns over a 200-character
   * event; the two slice comparisons ~40 ns). One exception keeps the old
   * order's output: a text ending in `error` right after a quote (text
   * `error` or `...\"error`) spells `"error"` with the closing quote and goes
   * the JSON.parse way, as it did before.
   */
  private sameShape(p: string): boolean {
    const head = this.shapeHead;
    if (head === null) return false;
    const hl = head.length;
    const tl = this.shapeTail.length;
    if (p.length <= hl + tl) return false;
    // Slices compared with ===: V8 compares their characters directly
    // (startsWith on these sliced strings cost twice as much).
    if (p.slice(0, hl) !== head) return false;
    const end = stringEnd(p, hl);
    if (end !== p.length - tl || p.slice(end) !== this.shapeTail) return false;
    return !(p.charCodeAt(end - 1) === 114 /* r */ && p.startsWith('"error', end - 6));
  }

  /** Kind the fast path gives (from the reference's content key). */
  private shapeKind = EV_TEXT;

  /** Kind of the last event added. */
  private lastKind = EV_OTHER;

  /** JSON.parse and classify one event; false when it was malformed or an error. */
  private parseFully(p: string, t: number): boolean {
    let obj: any;
    try {
      obj = JSON.parse(p);
    } catch {
      this.add(t, EV_OTHER, 0);
      this.fail('E_BAD_SSE', `malformed SSE event: ${quote(p)}`);
      return false;
    }
    if (obj && obj.error) {
      this.add(t, EV_OTHER, 0);
      const msg = typeof obj.error === 'string' ? obj.error : (obj.error.message ?? JSON.stringify(obj.error));
      this.fail('E_SERVER_ERROR', `server error in stream: ${quote(String(msg), false)}`);
      return false;
    }
    const usage = obj?.usage;
    const hasUsage = usage !== null && typeof usage === 'object';
    if (hasUsage) {
      if (typeof usage.prompt_tokens === 'number') this.promptTokens = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number') this.completionTokens = usage.completion_tokens;
      const rt = usage.completion_tokens_details?.reasoning_tokens;
      if (typeof rt === 'number') this.reasoningTokens = rt;
    }
    const choices = obj?.choices;
    const c = Array.isArray(choices) ? choices[0] : undefined;
    const d = c?.delta;
    let kind = EV_EMPTY;
    let text: string | null = null;
    let len = 0;
    const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
    if (
      (text =
        str(d?.content) ??
        str(c?.text) ??
        str(c?.message?.content) ??
        str(obj?.token?.text) ??
        str(obj?.text_output)) !== null
    )
      kind = EV_TEXT;
    else if ((text = str(d?.reasoning_content) ?? str(d?.reasoning)) !== null) kind = EV_REASONING;
    else if (Array.isArray(d?.tool_calls) && d.tool_calls.length > 0) {
      kind = EV_TOOL;
      len = Math.max(1, JSON.stringify(d.tool_calls).length);
    } else if (c === undefined) kind = hasUsage ? EV_USAGE : EV_OTHER;
    else if (d && typeof d === 'object' && 'role' in d) kind = EV_ROLE;
    if (text !== null) {
      len = text.length;
      if (kind === EV_TEXT) this.text?.push(text);
    }
    if (hasUsage && c !== undefined) kind |= USAGE_FLAG;
    this.add(t, kind, len);
    return true;
  }

  private fail(code: 'E_BAD_SSE' | 'E_SERVER_ERROR', message: string): void {
    if (this.error === null) this.error = { code, message };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Server bytes for a one-line message: control characters (ESC, C1, newlines)
 * become visible escapes so nothing reaches a terminal raw, and the text is
 * cut to 120 characters. `json` wraps it in quotes the way JSON.stringify does.
 */
export function quote(s: string, json = true): string {
  const cut = s.length > 120 ? s.slice(0, 117) + '...' : s;
  // eslint-disable-next-line no-control-regex
  const safe = cut.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return json ? `'${safe}'` : safe;
}

/** True when `key` is followed (after spaces) by `{`. */
function hasObjectKey(p: string, key: string): boolean {
  const at = p.indexOf(key);
  if (at === -1) return false;
  let i = at + key.length;
  while (isSpace(p.charCodeAt(i))) i++;
  return p.charCodeAt(i) === 123;
}

/** Index after the opening quote of the string value starting after spaces at `i`, or -1 (not a string). */
function stringStartAt(p: string, i: number): number {
  while (isSpace(p.charCodeAt(i))) i++;
  return p.charCodeAt(i) === 34 /* " */ ? i + 1 : -1;
}

/** Index of the closing quote of the string whose text starts at `start`, or -1. */
function stringEnd(p: string, start: number): number {
  let j = start;
  for (;;) {
    j = p.indexOf('"', j);
    if (j === -1) return -1;
    let bs = 0;
    for (let k = j - 1; k >= start && p.charCodeAt(k) === 92; k--) bs++;
    if ((bs & 1) === 0) return j;
    j++;
  }
}

/**
 * Length (raw JSON chars) of the string value starting after spaces at `i`;
 * 0 for "", null or a non-string.
 */
export function stringLengthAt(p: string, i: number): number {
  const start = stringStartAt(p, i);
  const end = start < 0 ? -1 : stringEnd(p, start);
  return end < 0 ? 0 : end - start;
}

/**
 * Tokens carried by each event when the server's usage total (`total`)
 * differs from the number of token-bearing events. `lens[i]` is the event's
 * text length, 0 for an event without tokens (which gets 0). The total is
 * split over the token-bearing events in proportion to their text length
 * (largest remainder), each getting at least 1. Returns null when each
 * token-bearing event carried exactly one token. 32-bit counts: a chunk may
 * carry more than 65,535 tokens.
 */
export function tokensPerChunk(lens: readonly number[], total: number): Uint32Array | null {
  let n = 0;
  let sum = 0;
  for (const l of lens)
    if (l > 0) {
      n++;
      sum += l;
    }
  if (n === 0 || total === n || total < n) return null;
  const out = new Uint32Array(lens.length);
  const extra = total - n;
  const rema: Array<[number, number]> = [];
  let given = 0;
  for (let i = 0; i < lens.length; i++) {
    if (lens[i]! <= 0) continue;
    const share = (extra * lens[i]!) / sum;
    const whole = Math.floor(share);
    out[i] = 1 + whole;
    given += whole;
    rema.push([share - whole, i]);
  }
  rema.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let r = 0; r < extra - given; r++) out[rema[r]![1]]! += 1;
  return out;
}
