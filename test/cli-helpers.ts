/** The built CLI as the tests run it: in a pipe to completion (cli), or started detached to be signalled (startCli). */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'aisbench-tui.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI in a pipe until it exits: exit code, stdout and stderr,
 * never a throw. NO_COLOR unless `noColor: false`; bounded by `timeoutMs`.
 */
export function cli(
  args: string[],
  cwd: string,
  o: { timeoutMs?: number; noColor?: boolean } = {},
): Promise<CliResult> {
  const env = o.noColor === false ? process.env : { ...process.env, NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, timeout: o.timeoutMs ?? 90_000, maxBuffer: 1 << 24, env },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

export interface CliRun {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built CLI (NO_COLOR, plus `env`) and collects its output; the
 * caller signals it and awaits `exit`. Detached: its own process group, so
 * SIGINT is not ignored as it is for background jobs of a non-interactive shell.
 */
export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [bin, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exit = new Promise<CliRun['exit'] extends Promise<infer T> ? T : never>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return { child, out, exit };
}
