import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { getPrefs, prefsPath, setPref } from '../src/ui/prefs.js';
import { runConfigCommand } from '../src/cli/config-command.js';

// Never the real user config: every call gets this env.
const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-prefs-'));
const env = { AISBENCH_TUI_CONFIG_DIR: dir };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: [string, string?, string?]): { code: number; text: string } {
  let text = '';
  const code = runConfigCommand(args[0], args[1], args[2], { write: (s: string) => (text += s) }, env);
  return { code, text };
}

describe('prefs', () => {
  it('defaults, then keeps what config set saves, in the given directory', () => {
    expect(getPrefs(env)).toEqual({ refreshHz: 4 });
    expect(run('set', 'refreshHz', '2')).toEqual({ code: 0, text: 'refreshHz = 2\n' });
    expect(run('get', 'refreshHz').text).toBe('2\n');
    expect(prefsPath(env).startsWith(dir)).toBe(true);
    expect(JSON.parse(readFileSync(prefsPath(env), 'utf8'))).toMatchObject({ refreshHz: 2 });
    setPref('theme', 'light', env);
    expect(run('list').text).toBe('refreshHz = 2\ntheme = light\n');
    expect(run('path').text.trim()).toBe(prefsPath(env));
    expect(run('unset', 'theme').code).toBe(0);
    expect(getPrefs(env).theme).toBeUndefined();
  });

  it('rejects bad keys, values and actions with a UsageError', () => {
    expect(() => run('set', 'refreshHz', '0')).toThrow(/refreshHz must be a number from 1 to 30/);
    expect(() => run('set', 'refreshHz', 'fast')).toThrow(UsageError);
    expect(() => run('set', 'refreshHz', '31')).toThrow(UsageError);
    expect(() => run('set', 'theme', 'nope')).toThrow(/unknown theme 'nope'/);
    expect(() => run('get', 'colour')).toThrow(/unknown config key 'colour'/);
    expect(() => run('frob')).toThrow(/unknown config action 'frob'/);
    expect(getPrefs(env).refreshHz).toBe(2);
  });
});
