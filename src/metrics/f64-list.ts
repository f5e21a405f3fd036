/** A growable list of doubles (amortised O(1) push, compact storage). */
export class F64List {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** Add `v` at index i, growing with zeros as needed (for per-second bins). */
  addAt(i: number, v: number): void {
    if (i >= this.buf.length) {
      let size = this.buf.length;
      while (size <= i) size *= 2;
      const next = new Float64Array(size);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[i]! += v; // `!`: buf was grown above to hold index i
    if (i >= this.length) this.length = i + 1;
  }

  /** A view of the values (shares memory until the next push). */
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }

  /** Append another list's values. */
  append(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
  }
}
