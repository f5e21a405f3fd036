/** Runs the built CLI in a pipe (NO_COLOR, 90 s bound): exit code, stdout and stderr, never a throw. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');

export async function cli(args: string[], cwd: string) {
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd, timeout: 90_000, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

