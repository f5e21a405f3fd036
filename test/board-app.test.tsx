import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { runInkApp } from '../src/ui/run-app.js';
import { inAltScreen, uninstallTerminalHooks } from '../src/ui/terminal.js';
import { loadTheme } from '../src/ui/theme.js';
import { fakeSource } from './board-fixtures.js';

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 24;
  out = '';
  write = (s: string): boolean => {
    this.out += s;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  isRaw = false;
  data: string | null = null;
  setRawMode(mode: boolean) {
    this.isRaw = mode;
  }
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  send(s: string) {
    this.data = s;
    this.emit('readable');
  }
}

describe('runInkApp', () => {
  it('draws the board on the alternate screen, follows resizes, and restores the terminal after the last frame', async () => {
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    const source = fakeSource(30);
    const onStop = vi.fn();
    const app = runInkApp({
      source,
      theme: loadTheme('no-color', {}),
      runDir: 'outputs/default/x',
      onStop,
      onForceExit: vi.fn(),
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      patchConsole: false,
    });
    try {
      expect(stdout.out.startsWith('\u001B[?1049h')).toBe(true);
      await vi.waitFor(() => expect(stdout.out).toContain('Page: 1/2'));
      stdout.rows = 12;
      stdout.emit('resize');
      await vi.waitFor(() => expect(stdout.out).toContain('Page: 1/6'));
      stdin.send('\u0003');
      await vi.waitFor(() => expect(onStop).toHaveBeenCalledTimes(1));
    } finally {
      app.close(0);
    }
    expect(await app.waitUntilExit()).toBe(0);
    expect(stdout.out.endsWith('\u001B[?25h\u001B[?1049l')).toBe(true);
    expect(inAltScreen()).toBe(false);
    expect(stdin.isRaw).toBe(false);
    uninstallTerminalHooks();
  });
});
