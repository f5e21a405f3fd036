/**
 * The `config` subcommand: prints or edits the user preferences the UI reads
 * (ui/prefs.ts, kept with conf). Parsing its arguments is args.ts's job; this
 * file is imported only when the command runs, so other starts do not load conf.
 */
import { UsageError } from '../core/errors.js';
import { assertPrefKey, getPrefs, PREF_KEYS, prefsPath, setPref, unsetPref, type PrefKey } from '../ui/prefs.js';

/**
 * `aisbench-tui config <action> [key] [value]`: prints to `out` and returns
 * the exit code; bad actions, keys and values throw a UsageError.
 */
export function runConfigCommand(
  action: string,
  key?: string,
  value?: string,
  out: { write(s: string): unknown } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  switch (action) {
    case 'get': {
      const k = assertPrefKey(key);
      const v = getPrefs(env)[k];
      out.write(`${v ?? ''}\n`);
      return 0;
    }
    case 'set': {
      if (value === undefined) throw new UsageError(`config set needs a value: config set ${key ?? '<key>'} <value>`);
      setPref(key ?? '', value, env);
      out.write(`${key} = ${String(getPrefs(env)[key as PrefKey])}\n`);
      return 0;
    }
    case 'unset':
      unsetPref(key ?? '', env);
      return 0;
    case 'list': {
      const prefs = getPrefs(env);
      for (const k of PREF_KEYS) out.write(`${k} = ${prefs[k] ?? ''}\n`);
      return 0;
    }
    case 'path':
      out.write(`${prefsPath(env)}\n`);
      return 0;
    default:
      throw new UsageError(`unknown config action '${action}' (get, set, unset, list, path)`);
  }
}
