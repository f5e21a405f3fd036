/**
 * A braille dot canvas: blessed-contrib's drawille canvas (the one its line
 * charts draw on), read back as plain strings so Ink can colour them with
 * theme tokens. Each character cell holds 2 × 4 dots.
 */
import { createRequire } from 'node:module';

interface DrawilleCanvas {
  width: number;
  height: number;
  /** One byte per cell, the braille dot bits (0x2800 + byte is the character). */
  content: Uint8Array;
  set(x: number, y: number): void;
}
type DrawilleCtor = new (width: number, height: number) => DrawilleCanvas;

// drawille is a dependency of blessed-contrib, so resolve it from there.
const requireHere = createRequire(import.meta.url);
const requireContrib = createRequire(requireHere.resolve('blessed-contrib'));
const Drawille = requireContrib('drawille-blessed-contrib') as DrawilleCtor;

export class BrailleCanvas {
  private readonly canvas: DrawilleCanvas;

  /** `cols` × `rows` character cells: 2·cols × 4·rows dots. */
  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.canvas = new Drawille(Math.max(1, cols) * 2, Math.max(1, rows) * 4);
  }

  /** Dot columns. */
  get dotWidth(): number {
    return this.canvas.width;
  }

  /** Dot rows (0 = top). */
  get dotHeight(): number {
    return this.canvas.height;
  }

  /** Sets one dot; out-of-range dots are ignored. */
  set(x: number, y: number): void {
    this.canvas.set(x, y);
  }

  /** Draws a straight line of dots (Bresenham), both ends included. */
  line(x0: number, y0: number, x1: number, y1: number): void {
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.set(x0, y0);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  /** The canvas as `rows` strings of exactly `cols` characters (blank cells are spaces). */
  lines(): string[] {
    const out: string[] = [];
    const bytes = this.canvas.content;
    for (let r = 0; r < this.rows; r++) {
      let s = '';
      for (let c = 0; c < this.cols; c++) {
        const b = bytes[r * this.cols + c] ?? 0;
        s += b === 0 ? ' ' : String.fromCharCode(0x2800 + b);
      }
      out.push(s);
    }
    return out;
  }
}

/** Number of dots set in braille text (for tests and checks). */
export function countDots(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) {
    for (const ch of line) {
      let b = ch.charCodeAt(0) - 0x2800;
      if (b <= 0 || b > 0xff) continue;
      while (b) {
        n += b & 1;
        b >>= 1;
      }
    }
  }
  return n;
}
