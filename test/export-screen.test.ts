import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from '../src/ui/results/ansi.js';
import { ansiToHtml, ansiToSvg, exportScreens, parseScreenFormats } from '../src/ui/results/export-screen.js';
import { renderResultsFrame, renderResultsText } from '../src/ui/results/render-results.js';
import { initialResultsState } from '../src/ui/results/state.js';
import { loadTheme } from '../src/ui/theme.js';
import { threeTasks } from './fixtures-results.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'export-screen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const theme = loadTheme('default', {});

describe('ANSI → styled runs', () => {
  it('parses 16, 256 and 24-bit colours, bold and inverse', () => {
    const [line] = parseAnsi(
      'a\u001B[31mb\u001B[39m\u001B[1;38;2;255;159;67mc\u001B[22;39m\u001B[7;38;5;196md\u001B[0me',
    );
    expect(line).toEqual([
      { text: 'a', style: {} },
      { text: 'b', style: { fg: '#cd3131' } },
      { text: 'c', style: { bold: true, fg: '#ff9f43' } },
      { text: 'd', style: { inverse: true, fg: '#ff0000' } },
      { text: 'e', style: {} },
    ]);
  });

  it('writes terminal-looking HTML and SVG with escaped text', () => {
    const ansi = '\u001B[36m<tag> & co\u001B[39m\nplain';
    const html = ansiToHtml(ansi);
    expect(html).toContain('<span style="color:#11a8cd">&lt;tag&gt; &amp; co</span>');
    expect(html).toContain('background:#1e1e1e');
    const svg = ansiToSvg(ansi);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('fill="#11a8cd">&lt;tag&gt; &amp; co</tspan>');
    expect(svg.match(/<text /g)).toHaveLength(2);
  });
});

describe('renderResultsText', () => {
  it('forces colours for files, and equals the plain frame without them', async () => {
    const results = threeTasks();
    const ansi = await renderResultsText(results, initialResultsState, 100, theme, { runDir: 'r' });
    expect(ansi).toMatch(/\u001B\[/);
    const plain = stripAnsi(renderResultsFrame(results, initialResultsState, 100, theme, { runDir: 'r' }));
    expect(stripAnsi(ansi)).toBe(plain);
  });
});

describe('exportScreens', () => {
  it('writes every task in every format under performances/<abbr>/', async () => {
    const results = threeTasks();
    const written = await exportScreens(tmp, results, ['txt', 'ansi', 'svg', 'html'], 100, { theme });
    expect(written).toHaveLength(12);
    expect(written[0]).toBe(path.join('performances', 'model-a', 'gsm8k_screen.txt'));
    const txt = readFileSync(path.join(tmp, written[0]!), 'utf8');
    expect(txt).not.toMatch(/\u001B/);
    expect(txt).toContain('Performance Parameters');
    expect(txt).toContain('Common Metric');
    expect(txt).toContain('In-flight requests');
    const frame = renderResultsFrame(results, initialResultsState, 100, theme, { runDir: tmp });
    expect(txt).toBe(`${stripAnsi(frame)}\n`);
    expect(readFileSync(path.join(tmp, 'performances', 'model-c', 'gsm8k_screen.html'), 'utf8')).toContain('<pre>');
  });

  it('parses --export lists with a one-line error', () => {
    expect(parseScreenFormats('txt, ansi,svg,txt')).toEqual(['txt', 'ansi', 'svg']);
    expect(() => parseScreenFormats('txt,pdf')).toThrow(/unknown export format 'pdf'/);
  });
});
