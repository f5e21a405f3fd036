// Shared by the benches: the built project's root, numeric --flags, and the
// simulator started in its own process (its own core), resolving to its URL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `--name N` from the command line, or `def`. */
export function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
}

/**
 * Start the simulator in a child process. `args` are `aisbench-tui sim` flags,
 * or `code` is module code that starts it and prints its URL (for benches that
 * want extra behaviour in the child). Resolves to { url, child, stop() }.
 */
export function startSimProcess({ args = [], code } = {}) {
  const body =
    code ??
    `const m = await import(${JSON.stringify(path.join(root, 'dist/sim/index.js'))}); process.exitCode = await m.runSimCommand(${JSON.stringify(['--port', '0', ...args])});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', body], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error('simulator did not start')), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = !started && out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({
          url: m[0],
          child,
          output: () => out,
          stop: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.kill('SIGINT');
            }),
        });
      }
    });
    child.once('exit', (c) => {
      if (!started) reject(new Error(`simulator exited with ${c}`));
    });
  });
}
