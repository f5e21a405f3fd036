/**
 * `aisbench-tui config ...` through the built CLI, against a preferences
 * folder of its own (AISBENCH_TUI_CONFIG_DIR): the README's command, and
 * `unset`, which the command ran but the argument parser used to refuse.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'aisbench-tui.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'aisbench-config-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', AISBENCH_TUI_CONFIG_DIR: dir };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'config', ...args], { cwd: dir, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('config subcommand (built CLI)', () => {
  it('set, get, unset, list and path keep the preferences in the given folder', async () => {
    expect(await config('set', 'refreshHz', '2')).toMatchObject({ code: 0, stdout: 'refreshHz = 2\n' });
    expect(await config('set', 'theme', 'light')).toMatchObject({ code: 0, stdout: 'theme = light\n' });
    expect(await config('get', 'theme')).toMatchObject({ code: 0, stdout: 'light\n' });
    expect(await config('unset', 'theme')).toMatchObject({ code: 0, stdout: '' });
    // Unset: back to the default (no theme), refreshHz kept.
    expect(await config('get', 'theme')).toMatchObject({ code: 0, stdout: '\n' });
    expect(await config('list')).toMatchObject({ code: 0, stdout: 'refreshHz = 2\ntheme = \n' });
    const file = (await config('path')).stdout.trim();
    expect(file.startsWith(dir)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ refreshHz: 2 });
  });

  it('a missing key or an unknown one is one usage line, exit 2', async () => {
    const noKey = await config('unset');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toBe(
      'aisbench-tui: usage: aisbench-tui config get KEY | set KEY VALUE | unset KEY | list | path\n',
    );
    const badKey = await config('unset', 'colour');
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toBe("aisbench-tui: unknown config key 'colour' (keys: refreshHz, theme)\n");
  });
});
