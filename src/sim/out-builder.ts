/**
 * Collects the bytes of one write. Long runs of identical event blocks are
 * laid out with Buffer.fill (a native memcpy loop) instead of String.repeat,
 * which spares a large string, its UTF-8 encoding and most of the GC work on
 * the zero-latency path (~150 kB per 1,000-token answer).
 */

/** Runs shorter than this (bytes) stay strings: a Buffer is not worth it. */
const BUFFER_RUN_BYTES = 8192;

export class OutBuilder {
  private head = '';
  private segments: { text: string; times: number }[] = [];

  add(text: string): void {
    if (this.segments.length === 0) this.head += text;
    else this.segments.push({ text, times: 1 });
  }

  /** Appends `text` repeated `times` times. */
  repeat(text: string, times: number): void {
    if (times * text.length < BUFFER_RUN_BYTES) this.add(text.repeat(times));
    else this.segments.push({ text, times });
  }

  get empty(): boolean {
    return this.head.length === 0 && this.segments.length === 0;
  }

  /** The collected bytes, as a string when there was no long run. */
  take(): string | Buffer {
    if (this.segments.length === 0) return this.head;
    let size = Buffer.byteLength(this.head);
    const blocks = this.segments.map((s) => {
      const block = Buffer.from(s.text);
      size += block.length * s.times;
      return block;
    });
    const out = Buffer.allocUnsafe(size);
    let at = out.write(this.head, 0);
    this.segments.forEach((s, i) => {
      const block = blocks[i] ?? Buffer.alloc(0);
      const end = at + block.length * s.times;
      if (s.times === 1) block.copy(out, at);
      else out.fill(block, at, end);
      at = end;
    });
    return out;
  }
}
