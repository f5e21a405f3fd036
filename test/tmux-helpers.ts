/**
 * A private tmux server per test file (its own `-L` socket, so parallel files
 * and a user's own tmux never meet), and whether tmux is installed at all.
 */
import { execFileSync } from 'node:child_process';

export const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface PrivateTmux {
  /** Runs one tmux command on this file's server; returns its stdout. */
  (...args: string[]): string;
  /** Kills this file's server; a server already gone is fine. */
  killServer(): void;
}

export function privateTmux(name: string): PrivateTmux {
  const socket = `aisbench-${name}-${process.pid}`;
  const tmux = ((...args: string[]): string =>
    execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' })) as PrivateTmux;
  tmux.killServer = () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  };
  return tmux;
}
