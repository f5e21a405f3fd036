import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { listThemes, loadTheme, THEME_TOKENS } from '../src/ui/theme.js';

function themeFile(content: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'theme-'));
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('themes', () => {
  it('bundles default, light and no-color, each defining every token', () => {
    expect(listThemes()).toEqual(expect.arrayContaining(['default', 'light', 'no-color']));
    for (const name of ['default', 'light', 'no-color']) {
      const theme = loadTheme(name, {});
      for (const token of THEME_TOKENS) expect(() => theme.color(token)).not.toThrow();
    }
    expect(loadTheme('default', {}).color('status.error')).toBe('red');
  });

  it('NO_COLOR (non-empty) selects no-color; an explicit --theme wins', () => {
    const theme = loadTheme(undefined, { NO_COLOR: '1' });
    expect(theme.name).toBe('no-color');
    expect(theme.noColor).toBe(true);
    expect(THEME_TOKENS.every((t) => theme.color(t) === undefined)).toBe(true);
    expect(loadTheme(undefined, { NO_COLOR: '' }).name).toBe('default');
    expect(loadTheme('light', { NO_COLOR: '1' }).name).toBe('light');
  });

  it('rejects an unknown token with one line naming file and token', () => {
    const file = themeFile({ palette: { a: 'red' }, tokens: { 'status.bogus': 'a' } });
    expect(() => loadTheme(file, {})).toThrow(UsageError);
    expect(() => loadTheme(file, {})).toThrow(/bad\.json.*'status\.bogus'/);
  });

  it('rejects a token naming a colour missing from the palette', () => {
    const file = themeFile({ palette: { a: 'red' }, tokens: { error: 'nope' } });
    try {
      loadTheme(file, {});
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/bad\.json: token 'error' names 'nope'/);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('rejects bad colours, bad JSON and unknown theme names', () => {
    expect(() => loadTheme(themeFile({ palette: { a: 'reddish' }, tokens: {} }), {})).toThrow(/palette\.a/);
    expect(() => loadTheme(themeFile('{ nope'), {})).toThrow(/bad\.json/);
    expect(() => loadTheme('no-such-theme', {})).toThrow(/unknown theme 'no-such-theme'/);
  });

  it('tokens a theme leaves out fall back to text', () => {
    const file = themeFile({ palette: { a: 'cyan' }, tokens: { text: 'a' } });
    expect(loadTheme(file, {}).color('plot.ttft')).toBe('cyan');
  });
});
