/**
 * Themes: JSON files under themes/ in two layers, a `palette` of named colours
 * and semantic `tokens` whose values name palette entries. Components use
 * tokens only (`theme.color('status.error')`), never colours.
 *
 * A file is validated whole at load: an unknown token, or a token naming a
 * colour the palette lacks, is a UsageError naming the file and the token.
 * Tokens a theme leaves out fall back to 'text'. The palette value
 * `"default"` (or a token value of `"default"`) means the terminal's own colour.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';

export const THEME_TOKENS = [
  'text',
  'muted',
  'header',
  'accent',
  'border',
  'key',
  'status.waiting',
  'status.warmup',
  'status.inferencing',
  'status.computing',
  'status.evaluating',
  'status.finish',
  'status.error',
  'status.stopped',
  'progress.done',
  'progress.todo',
  'sparkline',
  'paused',
  'stopping',
  'table.header',
  'table.sorted',
  'table.selected',
  'table.border',
  'tab.active',
  'tab.inactive',
  'plot.ttft',
  'plot.decode',
  'plot.concurrency',
  'plot.throughput',
  'plot.axis',
  'error',
  'warning',
  'success',
] as const;

export type ThemeToken = (typeof THEME_TOKENS)[number];

export interface Theme {
  /** Theme name (file name without .json, or the path given). */
  readonly name: string;
  /** True for the no-colour theme: every token resolves to undefined. */
  readonly noColor: boolean;
  /** Ink colour for a token (a name like 'green' or '#rrggbb'); undefined = terminal default. */
  color(token: ThemeToken): string | undefined;
}

/** Ink colour names, '#rgb'/'#rrggbb' or 'default'. */
const colourValue = z
  .string()
  .regex(
    /^(default|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|(black|red|green|yellow|blue|magenta|cyan|white|gray|grey)(Bright)?)$/,
    'not a colour',
  );

const themeFileSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    palette: z.record(z.string(), colourValue),
    tokens: z.record(z.string(), z.string()),
  })
  .strict();

/** Folder of the bundled themes: <package>/themes (from src/ui or dist/ui alike). */
export const THEMES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../themes');

const TOKEN_SET = new Set<string>(THEME_TOKENS);

/** Validates parsed theme JSON and builds a Theme; `file` names the source in errors. */
export function parseTheme(data: unknown, name: string, file: string): Theme {
  const parsed = themeFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'file';
    throw new UsageError(`theme ${file}: ${where}: ${issue?.message ?? 'invalid'}`, 'E_THEME');
  }
  const { palette, tokens } = parsed.data;
  const resolved = new Map<string, string | undefined>();
  for (const [token, ref] of Object.entries(tokens)) {
    if (!TOKEN_SET.has(token)) throw new UsageError(`theme ${file}: unknown token '${token}'`, 'E_THEME');
    if (ref === 'default') {
      resolved.set(token, undefined);
      continue;
    }
    const colour = palette[ref];
    if (colour === undefined) {
      throw new UsageError(`theme ${file}: token '${token}' names '${ref}', which is not in the palette`, 'E_THEME');
    }
    resolved.set(token, colour === 'default' ? undefined : colour);
  }
  const text = resolved.get('text');
  const noColor = [...resolved.values()].every((c) => c === undefined);
  return {
    name,
    noColor,
    color: (token) => (resolved.has(token) ? resolved.get(token) : text),
  };
}

/** Reads and validates one theme file. */
export function loadThemeFile(file: string, name = path.basename(file, '.json')): Theme {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message.split('\n')[0];
    throw new UsageError(`theme ${file}: ${why}`, 'E_THEME');
  }
  return parseTheme(data, name, file);
}

/** Names of the bundled themes (file names without .json). */
export function listThemes(dir = THEMES_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The theme to use. `name` is `--theme NAME` (or the user's saved preference):
 * a bundled theme name or a path to a .json file. Without a name, a non-empty
 * NO_COLOR selects 'no-color', else 'default'.
 */
export function loadTheme(name?: string, env: NodeJS.ProcessEnv = process.env, dir = THEMES_DIR): Theme {
  if (!name) name = env.NO_COLOR ? 'no-color' : 'default';
  if (name.endsWith('.json') || name.includes('/') || name.includes(path.sep)) return loadThemeFile(name);
  if (!/^[\w.-]+$/.test(name)) throw new UsageError(`unknown theme '${name}'`, 'E_THEME');
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) {
    throw new UsageError(`unknown theme '${name}' (available: ${listThemes(dir).join(', ')})`, 'E_THEME');
  }
  return loadThemeFile(file, name);
}
