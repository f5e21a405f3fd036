/**
 * The results view is built as pre-formatted lines of styled segments, so its
 * height is known exactly (frames stay under rows - 1, the body scrolls) and
 * Ink renders one <Text> per line. Segments name theme tokens, never colours.
 */
import type { ThemeToken } from '../theme.js';

export interface Seg {
  text: string;
  token?: ThemeToken;
  inverse?: boolean;
  bold?: boolean;
}

export type Line = Seg[];

export const seg = (text: string, token?: ThemeToken, extra: Omit<Seg, 'text' | 'token'> = {}): Seg => ({
  text,
  ...(token ? { token } : {}),
  ...extra,
});

/** Plain text of a line. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts a line to at most `width` characters (code points; the view uses single-width glyphs only). */
export function clipLine(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const chars = [...s.text];
    if (chars.length <= left) {
      out.push(s);
      left -= chars.length;
    } else {
      out.push({ ...s, text: chars.slice(0, left).join('') });
      left = 0;
    }
  }
  return out;
}

/**
 * Drops trailing spaces: Ink's terminal output trims them while
 * renderToString keeps them, and exports must equal the screen.
 */
export function trimLine(line: Line): Line {
  const out = line.slice();
  for (let last = out.at(-1); last; last = out.at(-1)) {
    const t = last.text.trimEnd();
    if (t === last.text) break;
    if (t) {
      out[out.length - 1] = { ...last, text: t };
      break;
    }
    out.pop();
  }
  return out;
}

/** Places `right` beside `left` (left padded to `leftWidth`, then `gap` spaces). */
export function sideBySide(left: readonly Line[], right: readonly Line[], leftWidth: number, gap = 2): Line[] {
  const n = Math.max(left.length, right.length);
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    const l = clipLine(left[i] ?? [], leftWidth);
    const pad = leftWidth - [...lineText(l)].length + gap;
    const r = right[i];
    out.push(r && r.length > 0 ? [...l, seg(' '.repeat(pad)), ...r] : l);
  }
  return out;
}

/** Widest line, in characters. */
export function linesWidth(lines: readonly Line[]): number {
  return lines.reduce((w, l) => Math.max(w, [...lineText(l)].length), 0);
}

/** Word-wraps help text (comma-separated items) into at most `max` lines. */
export function wrapItems(items: readonly string[], width: number, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const item of items) {
    const next = cur ? `${cur}, ${item}` : item;
    if (next.length > width && cur && out.length < max - 1) {
      out.push(`${cur},`);
      cur = item;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}
