import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ReportRecord } from './types.js';

type OnRecord = (r: ReportRecord) => void;
type Reader = (path: string, onRecord: OnRecord, opts?: { headersOnly?: boolean }) => Promise<unknown>;

/**
 * Streams `<dataset>_details.jsonl` into `onRecord`, one record per line.
 * Prefers the output module's reader (it owns the codec); if that module is
 * not there, parses the lines here, keeping only the fields the reports use.
 */
export async function streamDetails(path: string, onRecord: OnRecord): Promise<void> {
  const reader = await loadReader();
  if (reader) {
    // Reports need no chunk gaps: the header-only pass skips decoding them.
    await reader(path, onRecord, { headersOnly: true });
    return;
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    onRecord(parseDetailsLine(line, n));
  }
}

// A computed specifier: the reader is optional, and typechecking must not need it.
const READER_MODULE = '../output/details-reader.js';

async function loadReader(): Promise<Reader | undefined> {
  try {
    const mod = (await import(/* @vite-ignore */ READER_MODULE)) as { readDetails?: Reader };
    return typeof mod.readDetails === 'function' ? mod.readDetails : undefined;
  } catch {
    return undefined;
  }
}

const num = (v: unknown): number => (typeof v === 'number' ? v : v == null ? NaN : Number(v));

/** One JSONL line to the report fields (null/absent times become NaN). */
export function parseDetailsLine(line: string, lineNo = 0): ReportRecord {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`details line ${lineNo} is not JSON`);
  }
  if (typeof o.t0 !== 'number') throw new Error(`details line ${lineNo} has no t0`);
  return {
    id: num(o.id),
    ok: o.ok === true || o.ok === 1,
    code: typeof o.code === 'string' ? (o.code as ReportRecord['code']) : undefined,
    message: typeof o.msg === 'string' ? o.msg : typeof o.message === 'string' ? o.message : undefined,
    warmup: o.warmup === true || o.warm === true || o.warm === 1,
    sched: o.sched == null ? -1 : num(o.sched),
    t0: o.t0,
    ttft: num(o.ttft),
    e2el: num(o.e2el),
    end: num(o.end),
  };
}
