import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { enterAltScreen, inAltScreen, restoreTerminal, uninstallTerminalHooks } from '../src/ui/terminal.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

afterEach(() => {
  restoreTerminal();
  uninstallTerminalHooks();
});

function fakeTty() {
  const written: string[] = [];
  const stdin = {
    isTTY: true,
    isRaw: true,
    setRawMode(mode: boolean) {
      this.isRaw = mode;
    },
  };
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

  it('restores before an uncaught exception is reported', () => {
    const { out, stdin, written } = fakeTty();
    enterAltScreen(out, stdin);
    // @types/node 20 lists no emit overload for this event (Node emits it itself);
    // the cast keeps the arguments Node passes: the error and its origin.
    const emit = process.emit as (event: 'uncaughtExceptionMonitor', error: Error, origin: string) => boolean;
    emit.call(process, 'uncaughtExceptionMonitor', new Error('boom'), 'uncaughtException');
    expect(written.at(-1)).toBe('\u001B[?25h\u001B[?1049l');
  });

  // A real process: the hooks must fire on an unhandled signal, process.exit and a crash.
  for (const [how, expectExit] of [
    ['SIGTERM', { signal: 'SIGTERM' }],
    ['exit', { status: 3 }],
    ['throw', { status: 1 }],
  ] as const) {
    it(`restores the screen on ${how} in a child process`, () => {
      const dist = path.join(ROOT, 'dist', 'ui', 'terminal.js');
      expect(existsSync(dist), 'build first: npx tsc -p .').toBe(true);
      const code = `
        const { enterAltScreen } = await import(${JSON.stringify(dist)});
        const out = { isTTY: true, write: (s) => process.stdout.write(s) };
        enterAltScreen(out, {});
        process.stdout.write('frame');
        setTimeout(() => {
          if (${JSON.stringify(how)} === 'SIGTERM') process.kill(process.pid, 'SIGTERM');
          else if (${JSON.stringify(how)} === 'exit') process.exit(3);
          else throw new Error('boom');
        }, 10);
        setTimeout(() => {}, 5000);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 10_000 });
      expect(r.stdout).toBe('\u001B[?1049hframe\u001B[?25h\u001B[?1049l');
      if ('signal' in expectExit) expect(r.signal).toBe(expectExit.signal);
      else expect(r.status).toBe(expectExit.status);
    });
  }

  it('does nothing when stdout is not a terminal', () => {
    const written: string[] = [];
    enterAltScreen({ isTTY: false, write: (s: string) => written.push(s) }, {});
    expect(written).toEqual([]);
    expect(inAltScreen()).toBe(false);
  });
});
