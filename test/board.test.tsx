import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Board, pageSizeFor } from '../src/ui/board/Board.js';
import { loadTheme } from '../src/ui/theme.js';
import { fakeSource } from './board-fixtures.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';
const theme = loadTheme('no-color', {});
let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function renderBoard(tasks: number, width = 100, height = 24, extra: Partial<React.ComponentProps<typeof Board>> = {}) {
  const source = fakeSource(tasks);
  const onStop = vi.fn();
  const onForceExit = vi.fn();
  const props = { source, theme, width, height, onStop, onForceExit, ...extra };
  const r = render(<Board {...props} />);
  unmount = r.unmount;
  const frame = (): string => r.lastFrame() ?? '';
  return { ...r, source, onStop, onForceExit, props, frame };
}

describe('Board', () => {
  it('shows the seed header lines and one page of rows', () => {
    const { frame } = renderBoard(30);
    const lines = frame().split('\n');
    expect(lines[0]).toBe('Base path of result&log : outputs/default/20251106_103326');
    expect(lines[1]).toMatch(/^Task Progress Table \(Updated at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)$/);
    expect(lines[2]).toBe('Page: 1/2  Total 30 rows of data');
    expect(lines[3]).toBe("Press Up/Down to page, 'P' to pause/resume screen refresh, 'Ctrl+C' to exit");
    expect(lines[4]).toMatch(/^Task Name +Progress +Time Cost +ETA +Status/);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.length).toBe(6 + pageSizeFor(24));
    expect(frame()).toContain('0:00:54');
    expect(frame()).toContain('inferencing');
  });

  it('pages Down and Up, clamped at both ends', async () => {
    const { frame, stdin } = renderBoard(40); // 17 per page → 3 pages
    expect(frame()).toContain('Page: 1/3');
    stdin.write(UP);
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Page: 2/3'));
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Page: 3/3'));
    expect(frame()).toMatch(/-39\/dem/);
    stdin.write(DOWN);
    stdin.write(UP);
    await vi.waitFor(() => expect(frame()).toContain('Page: 2/3'));
    stdin.write(UP);
    await vi.waitFor(() => expect(frame()).toContain('Page: 1/3'));
    stdin.write(UP);
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Page: 2/3'));
  });

  it('P freezes header time and counts while the store keeps growing; next P shows the new state', async () => {
    const { frame, stdin, source } = renderBoard(2);
    source.bump();
    await vi.waitFor(() => expect(frame()).toContain('6/5/4/0'));
    stdin.write('p');
    await vi.waitFor(() => expect(frame()).toContain('PAUSED'));
    const frozen = frame();
    source.bump(10);
    source.bump(10);
    expect(source.finishCount()).toBe(24);
    // Nothing may change while paused: the frame stays byte-identical.
    await new Promise((r) => setImmediate(r));
    expect(frame()).toBe(frozen);
    expect(frame()).toContain('6/5/4/0');
    stdin.write('P');
    await vi.waitFor(() => expect(frame()).toContain('26/25/24/0'));
    expect(frame()).not.toContain('PAUSED');
    expect(frame().split('\n')[1]).not.toBe(frozen.split('\n')[1]);
  });

  it('a resize changes the page count and clamps the page', async () => {
    const r = renderBoard(30, 100, 24);
    r.stdin.write(DOWN);
    await vi.waitFor(() => expect(r.frame()).toContain('Page: 2/2'));
    r.rerender(<Board {...r.props} height={12} />); // 5 rows per page
    await vi.waitFor(() => expect(r.frame()).toContain('Page: 2/6'));
    expect(r.frame().split('\n').length).toBeLessThanOrEqual(11);
    r.rerender(<Board {...r.props} height={50} />);
    await vi.waitFor(() => expect(r.frame()).toContain('Page: 1/1'));
    r.rerender(<Board {...r.props} height={12} />); // the clamp stuck: back on page 1, not 2
    await vi.waitFor(() => expect(r.frame()).toContain('Page: 1/6'));
  });

  it('first Ctrl+C calls onStop and shows stopping…, the second calls onForceExit', async () => {
    const { frame, stdin, onStop, onForceExit } = renderBoard(3);
    stdin.write('\u0003');
    await vi.waitFor(() => expect(frame()).toContain('stopping…'));
    expect(onStop).toHaveBeenCalledTimes(1);
    expect(onForceExit).not.toHaveBeenCalled();
    stdin.write('\u0003');
    await vi.waitFor(() => expect(onForceExit).toHaveBeenCalledTimes(1));
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it('at 80 columns every shown column header stays readable and rows fit', () => {
    const { frame } = renderBoard(3, 80, 24);
    const lines = frame().split('\n');
    const header = lines[4] ?? '';
    for (const title of ['Task Name', 'Progress', 'Time Cost', 'Status']) expect(header).toContain(title);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[6]).toMatch(/…|vllm/);
    expect(lines[6]).toContain('inferencing');
  });
});
