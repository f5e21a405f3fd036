/**
 * The gap coding of details files: each gap (whole µs) minus the previous
 * gap (the first against 0), zigzag-mapped to a non-negative integer
 * (0, −1, 1, −2 … → 0, 1, 2, 3 …), written as a LEB128 varint (7 bits a byte,
 * high bit = more). Steady decoding makes consecutive gaps alike, so most
 * gaps take 1–2 bytes. Arithmetic, not bit operators: values may pass 2^31.
 */

/** Encode gaps into `out` (grown when short); returns the bytes written and the buffer used. */
export function encodeGaps(gaps: ArrayLike<number>, out: Uint8Array): { bytes: Uint8Array; length: number } {
  let buf = out;
  let p = 0;
  let prev = 0;
  for (let i = 0; i < gaps.length; i++) {
    if (p + 6 > buf.length) {
      const next = new Uint8Array(Math.max(buf.length * 2, 64));
      next.set(buf.subarray(0, p));
      buf = next;
    }
    const g = gaps[i]!;
    const d = g - prev;
    prev = g;
    let v = d >= 0 ? d * 2 : -d * 2 - 1;
    while (v >= 128) {
      buf[p++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    buf[p++] = v;
  }
  return { bytes: buf, length: p };
}

/**
 * Decode varint gaps from bytes[start, end) into `out` (must be long enough);
 * returns the count, or −1 when the bytes end inside a varint or a gap is
 * negative (corrupt data). The hot loop of reading 1e9 gaps: bit operators
 * for varints up to 4 bytes (values < 2^28), arithmetic beyond.
 */
export function decodeGaps(bytes: Uint8Array, start: number, end: number, out: Uint32Array): number {
  let n = 0;
  let prev = 0;
  let p = start;
  while (p < end) {
    let b = bytes[p++]!;
    let v: number;
    if (b < 128) v = b;
    else {
      v = b & 127;
      b = bytes[p++]!;
      v |= (b & 127) << 7;
      if (b >= 128) {
        b = bytes[p++]!;
        v |= (b & 127) << 14;
        if (b >= 128) {
          b = bytes[p++]!;
          v |= (b & 127) << 21;
          if (b >= 128) {
            let mult = 268435456;
            do {
              b = bytes[p++]!;
              v += (b & 127) * mult;
              mult *= 128;
            } while (b >= 128 && p < end);
            if (b >= 128 || p > end) return -1;
            prev += v % 2 === 0 ? v / 2 : -(v + 1) / 2;
            if (prev < 0) return -1;
            out[n++] = prev;
            continue;
          }
        }
      }
      if (p > end) return -1;
    }
    prev += (v >>> 1) ^ -(v & 1);
    if (prev < 0) return -1;
    out[n++] = prev;
  }
  return n;
}
