/**
 * The terminal around the Ink app: the alternate screen on the way in, and a
 * restore (main screen, visible cursor, raw mode off) on EVERY way out:
 * normal end, Ctrl+C, error, uncaught exception, SIGTERM/SIGINT/SIGHUP and
 * `process.exit`. `restoreTerminal()` is idempotent, so each path may call it.
 */

import onExit from 'signal-exit';

const ENTER_ALT = '\u001B[?1049h';
const LEAVE_ALT = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

interface RawStdin {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

let active: { out: Writable; stdin: RawStdin } | null = null;
let unhook: (() => void) | null = null;

function installHooks(): void {
  if (unhook) return;
  // signal-exit (the same global emitter Ink uses) runs this on process.exit,
  // on a normal end, and on SIGINT/SIGTERM/SIGHUP when nobody else handles
  // them; when the run controller handles a signal it ends the run through a
  // path that restores the terminal itself.
  const offExit = onExit(() => restoreTerminal());
  // The monitor event does not change Node's crash behaviour; it only lets us clean up first.
  process.on('uncaughtExceptionMonitor', restoreTerminal);
  unhook = () => {
    offExit();
    process.off('uncaughtExceptionMonitor', restoreTerminal);
  };
}

/** Switches `out` to the alternate screen (a no-op when it is not a terminal). */
export function enterAltScreen(out: Writable = process.stdout, stdin: RawStdin = process.stdin): void {
  if (!out.isTTY || active) return;
  installHooks();
  active = { out, stdin };
  out.write(ENTER_ALT);
}

/** Leaves the alternate screen, shows the cursor and turns raw mode off; safe to call any number of times. */
export function restoreTerminal(): void {
  if (!active) return;
  const { out, stdin } = active;
  active = null;
  try {
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode?.(false);
  } catch {
    // stdin may already be closed on the way out.
  }
  try {
    out.write(SHOW_CURSOR + LEAVE_ALT);
  } catch {
    // Nothing more to do if stdout is gone.
  }
}

/** True while the alternate screen is on (for tests and for callers deciding how to print). */
export function inAltScreen(): boolean {
  return active !== null;
}

/** Removes the process hooks (tests only). */
export function uninstallTerminalHooks(): void {
  unhook?.();
  unhook = null;
}
