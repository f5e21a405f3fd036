import { afterEach, describe, expect, it } from 'vitest';
import { enterAltScreen, inAltScreen, restoreTerminal, uninstallTerminalHooks } from '../src/ui/terminal.js';

afterEach(() => {
  restoreTerminal();
  uninstallTerminalHooks();
});

function fakeTty() {
  const written: string[] = [];
  const stdin = { isTTY: true, isRaw: true, setRawMode(mode: boolean) { this.isRaw = mode; } };
  return { out: { isTTY: true, write: (s: string) => written.push(s) }, stdin, written };
}

describe('terminal', () => {
  it('enters the alternate screen once and restores it once (idempotent)', () => {
    const { out, stdin, written } = fakeTty();
    enterAltScreen(out, stdin);
    enterAltScreen(out, stdin);
    expect(written).toEqual(['\u001B[?1049h']);
    expect(inAltScreen()).toBe(true);
    restoreTerminal();
    restoreTerminal();
    expect(written).toEqual(['\u001B[?1049h', '\u001B[?25h\u001B[?1049l']);
    expect(stdin.isRaw).toBe(false);
    expect(inAltScreen()).toBe(false);
  });

  it('restores on process exit and before an uncaught exception is reported', () => {
    const { out, stdin, written } = fakeTty();
    enterAltScreen(out, stdin);
    expect(process.listeners('exit')).toContain(restoreTerminal);
    process.emit('uncaughtExceptionMonitor', new Error('boom'), 'uncaughtException');
    expect(written.at(-1)).toBe('\u001B[?25h\u001B[?1049l');
  });

  it('does nothing when stdout is not a terminal', () => {
    const written: string[] = [];
    enterAltScreen({ isTTY: false, write: (s: string) => written.push(s) }, {});
    expect(written).toEqual([]);
    expect(inAltScreen()).toBe(false);
  });
});
