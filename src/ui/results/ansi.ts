/**
 * ANSI SGR text → styled runs, for the terminal-looking SVG/HTML screen
 * exports. Understands what Ink/chalk emit: 16, 256 and 24-bit colours,
 * bold, dim, italic, underline, inverse and their resets.
 */

export interface RunStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Run {
  text: string;
  style: RunStyle;
}

const ANSI_RE = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/g;

/** Removes every escape sequence. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/** A dark terminal palette (VS Code's), indices 0-15. */
export const PALETTE16 = [
  '#000000',
  '#cd3131',
  '#0dbc79',
  '#e5e510',
  '#2472c8',
  '#bc3fbc',
  '#11a8cd',
  '#e5e5e5',
  '#666666',
  '#f14c4c',
  '#23d18b',
  '#f5f543',
  '#3b8eea',
  '#d670d6',
  '#29b8db',
  '#ffffff',
];

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const rgb = (r: number, g: number, b: number): string => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** xterm 256-colour index → #rrggbb. */
export function color256(n: number): string {
  if (n < 16) return PALETTE16[n] ?? '#ffffff';
  if (n < 232) {
    const i = n - 16;
    const v = (k: number): number => (k === 0 ? 0 : 55 + k * 40);
    return rgb(v(Math.floor(i / 36)), v(Math.floor(i / 6) % 6), v(i % 6));
  }
  const g = 8 + (n - 232) * 10;
  return rgb(g, g, g);
}

/** Applies one SGR parameter list to a style (returns a new style). */
function applySgr(style: RunStyle, params: number[]): RunStyle {
  const s: RunStyle = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) for (const k of Object.keys(s)) delete s[k as keyof RunStyle];
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) {
      delete s.bold;
      delete s.dim;
    } else if (p === 23) delete s.italic;
    else if (p === 24) delete s.underline;
    else if (p === 27) delete s.inverse;
    else if (p >= 30 && p <= 37) s.fg = PALETTE16[p - 30];
    else if (p >= 90 && p <= 97) s.fg = PALETTE16[p - 90 + 8];
    else if (p >= 40 && p <= 47) s.bg = PALETTE16[p - 40];
    else if (p >= 100 && p <= 107) s.bg = PALETTE16[p - 100 + 8];
    else if (p === 39) delete s.fg;
    else if (p === 49) delete s.bg;
    else if (p === 38 || p === 48) {
      const key = p === 38 ? 'fg' : 'bg';
      if (params[i + 1] === 5) {
        s[key] = color256(params[i + 2] ?? 0);
        i += 2;
      } else if (params[i + 1] === 2) {
        s[key] = rgb(params[i + 2] ?? 0, params[i + 3] ?? 0, params[i + 4] ?? 0);
        i += 4;
      }
    }
  }
  return s;
}

/** Splits ANSI text into lines of styled runs (non-SGR escapes are dropped). */
export function parseAnsi(text: string): Run[][] {
  let style: RunStyle = {};
  return text.split('\n').map((line) => {
    const runs: Run[] = [];
    let last = 0;
    const push = (t: string): void => {
      if (t) runs.push({ text: t, style });
    };
    for (const m of line.matchAll(ANSI_RE)) {
      push(line.slice(last, m.index));
      last = (m.index ?? 0) + m[0].length;
      const sgr = /^\u001B\[([0-9;]*)m$/.exec(m[0]);
      if (sgr)
        style = applySgr(
          style,
          (sgr[1] ?? '').split(';').map((x) => (x === '' ? 0 : Number(x))),
        );
    }
    push(line.slice(last));
    return runs;
  });
}
