/**
 * The units of a task (requests, or whole conversations) packed once into
 * shared memory as UTF-8 JSON, one slice per unit, read by every worker.
 *
 * Why not post the unit objects to each worker: structured clone gives every
 * worker its own copy of the whole dataset as small heap objects (about 400
 * bytes per short chat unit). That copy sat in the worker's old generation,
 * and V8 lets the old generation grow to a few times its live size before a
 * full collection, so a 200,000-request run swung the worker's RSS between
 * 100 and 300 MB. Packed, the dataset costs its JSON length once for all
 * workers, and a worker parses a unit only when it claims it (about 1 µs for
 * a short prompt, against the milliseconds a streamed request takes).
 */
import type { RequestSpec } from './types.js';

export interface PackedUnits {
  /** UTF-8 JSON of every unit, back to back. */
  data: SharedArrayBuffer;
  /** Float64 offsets into data: unit i is [offsets[i], offsets[i + 1]). */
  offsets: SharedArrayBuffer;
  count: number;
}

export function packUnits(units: readonly RequestSpec[][]): PackedUnits {
  const json = units.map((u) => JSON.stringify(u));
  const offsets = new Float64Array(new SharedArrayBuffer((json.length + 1) * 8));
  let total = 0;
  for (let i = 0; i < json.length; i++) {
    offsets[i] = total;
    total += Buffer.byteLength(json[i]!, 'utf8');
  }
  offsets[json.length] = total;
  const data = new SharedArrayBuffer(Math.max(1, total));
  const view = Buffer.from(data);
  for (let i = 0; i < json.length; i++) view.write(json[i]!, offsets[i]!, 'utf8');
  return { data, offsets: offsets.buffer as SharedArrayBuffer, count: json.length };
}

/** Reads units back from shared memory; each call parses a fresh copy. */
export class UnitReader {
  readonly length: number;
  private readonly bytes: Buffer;
  private readonly offsets: Float64Array;

  constructor(p: PackedUnits) {
    this.length = p.count;
    this.bytes = Buffer.from(p.data);
    this.offsets = new Float64Array(p.offsets);
  }

  get(i: number): RequestSpec[] {
    const start = this.offsets[i]!;
    return JSON.parse(this.bytes.toString('utf8', start, this.offsets[i + 1]!)) as RequestSpec[];
  }
}
