import { describe, expect, it } from 'vitest';
import { helpLine, keyMatches, keymap, matches } from '../src/ui/keymap.js';

describe('keymap', () => {
  it('matches named keys, characters and modifiers', () => {
    expect(matches('board.nextPage', '', { downArrow: true })).toBe(true);
    expect(matches('board.nextPage', '', { pageDown: true })).toBe(true);
    expect(matches('board.prevPage', '', { upArrow: true })).toBe(true);
    expect(matches('board.pause', 'p', {})).toBe(true);
    expect(matches('board.pause', 'P', { shift: true })).toBe(true);
    expect(matches('board.pause', 'p', { ctrl: true })).toBe(false);
    expect(matches('app.stop', 'c', { ctrl: true })).toBe(true);
    expect(matches('app.stop', 'c', {})).toBe(false);
    expect(keyMatches('tab', '', { tab: true, shift: true })).toBe(false);
    expect(keyMatches('shift+tab', '', { tab: true, shift: true })).toBe(true);
    expect(keyMatches('s', 'S', { shift: true })).toBe(false);
  });

  it('builds the help line from the table', () => {
    const line = helpLine(['board.prevPage', 'board.nextPage', 'board.pause', 'app.stop']);
    expect(line).toBe("Up/Down to page, 'P' to pause/resume screen refresh, 'Ctrl+C' to exit");
    expect(line).toContain(keymap['board.pause'].help);
  });
});
