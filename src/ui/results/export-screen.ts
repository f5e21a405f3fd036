/**
 * Screen exports: the results frame written as .txt (no escape codes),
 * .ansi (colours) and .svg / .html that look like a dark terminal.
 * Files go to `performances/<abbr>/<dataset>_screen.<ext>` in the run folder.
 */
import { mkdir } from 'node:fs/promises';
import { replaceFile as writeFile } from '../../output/safe-write.js';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { TaskResult } from '../../metrics/types.js';
import { renderResultsText, type RenderResultsOptions } from './render-results.js';
import { linesWidth } from './lines.js';
import { perfTableLines } from './perf-table.js';
import { initialResultsState, type ResultsState } from './state.js';
import { loadTheme, type Theme } from '../theme.js';
import { parseAnsi, stripAnsi, type Run, type RunStyle } from './ansi.js';
import { RunLayout } from '../../core/run-layout.js';

export type ScreenFormat = 'txt' | 'ansi' | 'svg' | 'html';
export const SCREEN_FORMATS: readonly ScreenFormat[] = ['txt', 'ansi', 'svg', 'html'];

const BG = '#1e1e1e';
const FG = '#d4d4d4';
/** Character cell size in px for SVG (a 14 px monospace font). */
const CELL_W = 8.4;
const CELL_H = 17;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function colours(st: RunStyle): { fg: string; bg: string | undefined } {
  let fg = st.fg ?? FG;
  let bg = st.bg;
  if (st.inverse) [fg, bg] = [bg ?? BG, fg];
  return { fg, bg };
}

/**
 * Braille glyphs often come from a fallback font wider than the monospace
 * cell: give each its own 1ch box so plots keep the terminal's grid.
 */
function cellGlyphs(html: string): string {
  return html.replace(/[\u2800-\u28ff]/g, (c) => `<i>${c}</i>`);
}

/** HTML page with a <pre> of coloured spans. */
export function ansiToHtml(ansi: string, title = 'aisbench-tui screen'): string {
  const body = parseAnsi(ansi)
    .map((runs: Run[]) =>
      runs
        .map(({ text, style }) => {
          const { fg, bg } = colours(style);
          const css = [
            fg !== FG ? `color:${fg}` : '',
            bg ? `background:${bg}` : '',
            style.bold ? 'font-weight:bold' : '',
            style.dim ? 'opacity:0.7' : '',
            style.italic ? 'font-style:italic' : '',
            style.underline ? 'text-decoration:underline' : '',
          ].filter(Boolean);
          const html = cellGlyphs(esc(text));
          return css.length ? `<span style="${css.join(';')}">${html}</span>` : html;
        })
        .join(''),
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{margin:0;background:${BG}}pre{margin:0;padding:12px;color:${FG};background:${BG};font:14px/1.2 'DejaVu Sans Mono',Menlo,Consolas,monospace}pre i{display:inline-block;width:1ch;overflow:hidden;font-style:normal;vertical-align:top}</style>
</head><body><pre>${body}</pre></body></html>
`;
}

/** SVG of the screen: one <text> per line, runs placed by character column. */
export function ansiToSvg(ansi: string): string {
  const lines = parseAnsi(ansi);
  const cols = lines.reduce(
    (w, runs) =>
      Math.max(
        w,
        runs.reduce((a, r) => a + [...r.text].length, 0),
      ),
    1,
  );
  const pad = 10;
  const w = Math.ceil(cols * CELL_W + 2 * pad);
  const h = Math.ceil(lines.length * CELL_H + 2 * pad);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<rect width="100%" height="100%" fill="${BG}"/>`,
    // white-space:pre keeps runs of spaces (table gaps) in every renderer.
    `<style>text{white-space:pre}</style>`,
    `<g font-family="'DejaVu Sans Mono',Menlo,Consolas,monospace" font-size="14" fill="${FG}" xml:space="preserve">`,
  ];
  lines.forEach((runs, li) => {
    const y = pad + li * CELL_H;
    let col = 0;
    const spans: string[] = [];
    for (const { text, style } of runs) {
      const n = [...text].length;
      const { fg, bg } = colours(style);
      const x = (pad + col * CELL_W).toFixed(1);
      if (bg) out.push(`<rect x="${x}" y="${y}" width="${(n * CELL_W).toFixed(1)}" height="${CELL_H}" fill="${bg}"/>`);
      if (text.trim()) {
        const attrs = [
          fg !== FG ? ` fill="${fg}"` : '',
          style.bold ? ' font-weight="bold"' : '',
          style.dim ? ' opacity="0.7"' : '',
        ].join('');
        // textLength pins each run to its cells, whatever the font's glyph widths (braille, box drawing).
        const len = (n * CELL_W).toFixed(1);
        spans.push(`<tspan x="${x}" textLength="${len}" lengthAdjust="spacingAndGlyphs"${attrs}>${esc(text)}</tspan>`);
      }
      col += n;
    }
    if (spans.length) out.push(`<text y="${y + CELL_H - 4}" xml:space="preserve">${spans.join('')}</text>`);
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

/** Path (relative to the run folder) of a task's screen file without extension. */
export function screenBase(result: Pick<TaskResult, 'abbr' | 'dataset'> | null): string {
  return result
    ? RunLayout.taskFile(result.abbr, result.dataset, 'screen')
    : path.join(RunLayout.performances, 'comparison_screen');
}

/** Writes one screen in the given formats; returns the written paths relative to `runDir`. */
export async function writeScreen(
  runDir: string,
  result: Pick<TaskResult, 'abbr' | 'dataset' | 'key'> | null,
  ansi: string,
  formats: readonly ScreenFormat[],
): Promise<string[]> {
  const base = screenBase(result);
  await mkdir(path.join(runDir, path.dirname(base)), { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    const content =
      f === 'txt'
        ? `${stripAnsi(ansi)}\n`
        : f === 'ansi'
          ? `${ansi}\n`
          : f === 'svg'
            ? ansiToSvg(ansi)
            : ansiToHtml(ansi, result?.key ?? 'comparison');
    const rel = `${base}.${f}`;
    await writeFile(path.join(runDir, rel), content);
    written.push(rel);
  }
  return written;
}

export interface ExportScreensOptions extends Pick<RenderResultsOptions, 'height' | 'interrupted' | 'presets'> {
  theme?: Theme;
  /** View state to start from (selection is replaced per task). */
  state?: ResultsState;
}

/**
 * The export width without a terminal, where there is no width to respect:
 * wide enough for every stat column of every task, and at least 120 columns.
 */
export function unattendedWidth(results: readonly TaskResult[]): number {
  return Math.max(120, ...results.map((r) => linesWidth(perfTableLines(r.perf, 10_000, -1, null))));
}

/**
 * `--export txt,ansi,svg`: writes every task's screen (whole, unscrolled) at
 * `width` columns. Returns the written paths relative to `runDir`.
 */
export async function exportScreens(
  runDir: string,
  results: readonly TaskResult[],
  formats: readonly ScreenFormat[],
  width: number,
  opts: ExportScreensOptions = {},
): Promise<string[]> {
  const theme = opts.theme ?? loadTheme();
  const written: string[] = [];
  for (const [i, result] of results.entries()) {
    const state: ResultsState = {
      ...(opts.state ?? initialResultsState),
      task: i,
      view: 'task',
      scroll: 0,
      status: null,
    };
    const ansi = await renderResultsText(results, state, width, theme, { ...opts, runDir });
    written.push(...(await writeScreen(runDir, result, ansi, formats)));
  }
  return written;
}

/** Parses `--export txt,ansi,svg` (one-line error on unknown formats). */
export function parseScreenFormats(spec: string): ScreenFormat[] {
  const out: ScreenFormat[] = [];
  for (const f of spec
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    if (!(SCREEN_FORMATS as readonly string[]).includes(f)) {
      throw new UsageError(`unknown export format '${f}' (use ${SCREEN_FORMATS.join(', ')})`, 'E_EXPORT_FORMAT');
    }
    if (!out.includes(f as ScreenFormat)) out.push(f as ScreenFormat);
  }
  return out;
}
