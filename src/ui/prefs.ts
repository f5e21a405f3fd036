/**
 * User preferences kept between runs with conf (a JSON file in the user's
 * config directory, or in AISBENCH_TUI_CONFIG_DIR when set, which tests use so
 * they never touch the real one). The board and the compare screen read them;
 * `aisbench-tui config get|set|unset|list|path` (cli/config-command.ts) edits them.
 */
import Conf from 'conf';
import { UsageError } from '../core/errors.js';
import { loadTheme } from './theme.js';

export interface Prefs {
  /** Board refresh rate, in frames per second (1..30). */
  refreshHz: number;
  /** Theme name used when --theme is not given. */
  theme?: string;
}

export type PrefKey = keyof Prefs;

export const PREF_KEYS: readonly PrefKey[] = ['refreshHz', 'theme'];
export const DEFAULT_PREFS: Prefs = { refreshHz: 4 };

const schema = {
  refreshHz: { type: 'number', minimum: 1, maximum: 30, default: 4 },
  theme: { type: 'string' },
} as const;

let store: { dir: string | undefined; conf: Conf<Partial<Prefs>> } | null = null;

function conf(env: NodeJS.ProcessEnv = process.env): Conf<Partial<Prefs>> {
  const dir = env.AISBENCH_TUI_CONFIG_DIR || undefined;
  if (!store || store.dir !== dir) {
    store = {
      dir,
      conf: new Conf<Partial<Prefs>>({ projectName: 'aisbench-tui', projectSuffix: '', schema, cwd: dir }),
    };
  }
  return store.conf;
}

function isPrefKey(key: string): key is PrefKey {
  return (PREF_KEYS as readonly string[]).includes(key);
}

/** `key` as a preference key, or a UsageError listing the keys. */
export function assertPrefKey(key: string | undefined): PrefKey {
  if (!key || !isPrefKey(key))
    throw new UsageError(`unknown config key '${key ?? ''}' (keys: ${PREF_KEYS.join(', ')})`);
  return key;
}

/** Parses and checks a value given on the command line (or in code) for `key`. */
export function parsePref(key: PrefKey, value: unknown): Prefs[PrefKey] {
  if (key === 'refreshHz') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (!Number.isFinite(n) || n < 1 || n > 30 || String(value).trim() === '') {
      throw new UsageError(`refreshHz must be a number from 1 to 30 (got '${String(value)}')`);
    }
    return n;
  }
  const name = String(value).trim();
  loadTheme(name); // throws a UsageError naming the theme when it does not exist or is invalid
  return name;
}

/** Saved preferences merged over the defaults; a hand-edited bad value falls back to its default. */
export function getPrefs(env: NodeJS.ProcessEnv = process.env): Prefs {
  const out: Prefs = { ...DEFAULT_PREFS };
  let saved: Partial<Prefs>;
  try {
    saved = conf(env).store;
  } catch {
    return out; // an unreadable or schema-invalid file must not stop a benchmark
  }
  if (typeof saved.refreshHz === 'number' && saved.refreshHz >= 1 && saved.refreshHz <= 30)
    out.refreshHz = saved.refreshHz;
  if (typeof saved.theme === 'string' && saved.theme) out.theme = saved.theme;
  return out;
}

/** Validates and saves one preference. */
export function setPref(key: string, value: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const k = assertPrefKey(key);
  conf(env).set(k, parsePref(k, value));
}

/** Removes one saved preference (back to its default). */
export function unsetPref(key: string, env: NodeJS.ProcessEnv = process.env): void {
  conf(env).delete(assertPrefKey(key));
}

/** Path of the preferences file. */
export function prefsPath(env: NodeJS.ProcessEnv = process.env): string {
  return conf(env).path;
}
