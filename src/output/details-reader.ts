/**
 * Streaming reader of details files (format: engine/details-codec.ts).
 *
 * Memory does not grow with the file: it reads fixed chunks into one buffer
 * (grown only to hold the longest line) and decodes each line in place. The
 * fast path avoids JSON.parse over the gaps: it finds `"gaps":"` (always the
 * last field), parses only the short header, and
 * decodes the base64 varints into reused buffers.
 *
 * A partial LAST line (no newline at end of file, not parseable: the run was
 * cut short while writing it) is skipped with a warning; a malformed line
 * anywhere else is an error naming its line number.
 */
import { open } from 'node:fs/promises';
import type { RequestRecord } from '../engine/types.js';
import { decodeGaps } from '../engine/gap-varint.js';
import { decodeLine, recordFrom } from '../engine/details-codec.js';

export interface ReadDetailsOptions {
  /** Bytes read at a time (default 4 MiB). */
  chunkBytes?: number;
  /** Byte range to read, [start, end); start must be a line start (default: whole file). */
  start?: number;
  end?: number;
  /** Number of the range's first line, for messages (default 1). */
  firstLine?: number;
  /** Parse only the header fields: records come with empty gapsUs (a fast pre-pass). */
  headersOnly?: boolean;
}

export interface ReadDetailsResult {
  records: number;
  skipped: number;
  warnings: string[];
  /** Lines seen (including empty ones). */
  lines: number;
  /** Largest buffer held (bytes): stays ~chunkBytes whatever the file size. */
  maxBufferBytes: number;
}

/** A malformed line: `file:line: reason`. */
export class DetailsFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: malformed details line: ${reason}`);
  }
}

const GAPS_KEY = Buffer.from('"gaps":"');
const EMPTY = new Uint32Array(0);

/** Decodes lines held in a Buffer, reusing its scratch arrays between lines. */
class LineDecoder {
  private bytes = Buffer.alloc(1 << 16);
  private gaps = new Uint32Array(1 << 14);

  constructor(private headersOnly: boolean) {}

  /** The record of buf[s, e), or throws an Error with the reason. gapsUs is valid until the next call. */
  decode(buf: Buffer, s: number, e: number): RequestRecord {
    // The first `"gaps":"` of the line is the key: inside a JSON string every
    // quote is escaped (\"), so the pattern cannot occur in a value.
    const key = buf.indexOf(GAPS_KEY, s);
    const q = key >= s && key < e ? buf.indexOf(0x22, key + GAPS_KEY.length) : -1;
    if (key < s || key >= e || buf[key - 1] !== 0x2c || q < 0 || q + 2 !== e || buf[q + 1] !== 0x7d) {
      return decodeLine(buf.toString('utf8', s, e)); // unusual layout: the slow, general path
    }
    let head: unknown;
    try {
      head = JSON.parse(buf.toString('utf8', s, key - 1) + '}');
    } catch {
      throw new Error('not a JSON object');
    }
    if (typeof head !== 'object' || head === null) throw new Error('not a JSON object');
    const o = head as Record<string, unknown>;
    const n = typeof o.n === 'number' ? o.n : NaN;
    if (!(n >= 0)) throw new Error(`field 'n' missing or not a number`);
    const count = Math.max(0, n - 1);
    if (this.headersOnly) return recordFrom(o, EMPTY, false);
    const b64 = buf.toString('latin1', key + GAPS_KEY.length, q);
    const need = Math.ceil((b64.length * 3) / 4) + 4;
    if (need > this.bytes.length) this.bytes = Buffer.alloc(need * 2);
    const len = this.bytes.write(b64, 0, 'base64');
    if (count > this.gaps.length) this.gaps = new Uint32Array(count * 2);
    const got = decodeGaps(this.bytes, 0, len, this.gaps);
    if (got !== count)
      throw new Error(`'gaps' is corrupt (${got < 0 ? 'truncated varint' : `${got} gaps, n says ${n}`})`);
    return recordFrom(o, this.gaps.subarray(0, count));
  }
}

/**
 * Read a details file, calling onRecord for each line. The record's gapsUs
 * (and chunkTokens) may be views into reused buffers: copy them to keep them.
 */
export async function readDetails(
  path: string,
  onRecord: (r: RequestRecord, line: number) => void,
  opts: ReadDetailsOptions = {},
): Promise<ReadDetailsResult> {
  const chunk = opts.chunkBytes ?? 4 << 20;
  const fh = await open(path, 'r');
  const res: ReadDetailsResult = { records: 0, skipped: 0, warnings: [], lines: 0, maxBufferBytes: 0 };
  try {
    const end = opts.end ?? (await fh.stat()).size;
    let pos = opts.start ?? 0;
    let line = (opts.firstLine ?? 1) - 1;
    let buf = Buffer.alloc(chunk);
    let have = 0; // bytes held in buf
    const dec = new LineDecoder(opts.headersOnly === true);
    const handle = (s: number, e: number, last: boolean): void => {
      line++;
      res.lines++;
      let le = e;
      if (le > s && buf[le - 1] === 0x0d) le--; // CRLF
      if (le === s) return;
      let rec: RequestRecord;
      try {
        rec = dec.decode(buf, s, le);
      } catch (err) {
        if (last) {
          res.skipped++;
          res.warnings.push(`${path}:${line}: incomplete last line skipped (the run was cut short?)`);
          return;
        }
        throw new DetailsFormatError(path, line, (err as Error).message);
      }
      res.records++;
      onRecord(rec, line);
    };
    for (;;) {
      if (have === buf.length) {
        const next = Buffer.alloc(buf.length * 2); // a line longer than the buffer
        buf.copy(next, 0, 0, have);
        buf = next;
      }
      const want = Math.min(buf.length - have, end - pos);
      const { bytesRead } = want > 0 ? await fh.read(buf, have, want, pos) : { bytesRead: 0 };
      pos += bytesRead;
      have += bytesRead;
      res.maxBufferBytes = Math.max(res.maxBufferBytes, buf.length);
      const eof = bytesRead === 0;
      let s = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, s);
        if (nl < 0 || nl >= have) break;
        handle(s, nl, false);
        s = nl + 1;
      }
      if (eof) {
        if (s < have) handle(s, have, true);
        break;
      }
      buf.copy(buf, 0, s, have);
      have -= s;
    }
  } finally {
    await fh.close();
  }
  return res;
}
