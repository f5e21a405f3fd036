/**
 * The results frame as a string, with Ink's renderToString: the same
 * component the terminal shows, so exported screens equal what was on screen.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { renderToString } from 'ink';
import { createElement } from 'react';
import type { TaskResult } from '../../metrics/types.js';
import type { Theme } from '../theme.js';
import { layoutResults } from './layout.js';
import { statPresets, type StatPreset } from './presets.js';
import { ResultsFrame } from './ResultsFrame.js';
import type { ResultsState } from './state.js';

export interface RenderResultsOptions {
  /** Terminal rows; undefined = the whole frame, nothing scrolled away. */
  height?: number;
  runDir?: string;
  interrupted?: boolean;
  presets?: readonly StatPreset[];
  /**
   * Force ANSI colours even when stdout is not a colour terminal (files).
   * false = whatever Ink's colour detection says.
   */
  forceColor?: boolean;
}

interface ChalkLike {
  level: number;
}
let inkChalk: ChalkLike | null | undefined;

/** Ink's own chalk instance (Ink colours through it), or null if it cannot be found. */
async function loadInkChalk(): Promise<ChalkLike | null> {
  if (inkChalk !== undefined) return inkChalk;
  try {
    const req = createRequire(createRequire(import.meta.url).resolve('ink'));
    const mod = (await import(pathToFileURL(req.resolve('chalk')).href)) as { default: ChalkLike };
    inkChalk = mod.default;
  } catch {
    inkChalk = null;
  }
  return inkChalk;
}

/** Default presets for `results`: the stats they were computed with, default, tail. */
export function presetsFor(results: readonly TaskResult[]): StatPreset[] {
  return statPresets(results[0]?.perf.stats ?? []);
}

/** Renders the frame synchronously with Ink's current colour level. */
export function renderResultsFrame(
  results: readonly TaskResult[],
  state: ResultsState,
  width: number,
  theme: Theme,
  opts: RenderResultsOptions = {},
): string {
  const layout = layoutResults({
    results,
    state,
    presets: opts.presets ?? presetsFor(results),
    width,
    ...(opts.height !== undefined ? { height: opts.height } : {}),
    runDir: opts.runDir ?? '',
    interrupted: opts.interrupted ?? false,
  });
  return renderToString(createElement(ResultsFrame, { lines: layout.lines, theme }), { columns: width });
}

/** The frame as ANSI text (colours forced on unless forceColor is false). */
export async function renderResultsText(
  results: readonly TaskResult[],
  state: ResultsState,
  width: number,
  theme: Theme,
  opts: RenderResultsOptions = {},
): Promise<string> {
  const chalk = opts.forceColor === false || theme.noColor ? null : await loadInkChalk();
  const before = chalk?.level ?? 0;
  // Files get 24-bit colour whatever the current terminal supports.
  if (chalk) chalk.level = 3;
  try {
    return renderResultsFrame(results, state, width, theme, opts);
  } finally {
    if (chalk) chalk.level = before;
  }
}
