/** The capacity view (braille curves, SLO line, sortable points) and its place in the app, through ink-testing-library. */
import { render } from 'ink-testing-library';
import React from 'react';
import { describe, expect, test, vi } from 'vitest';
import type { CapacityReport } from '../src/capacity/campaign.js';
import type { PointRow } from '../src/capacity/points.js';
import { capacityLines } from '../src/ui/capacity/capacity-lines.js';
import { CapacityView } from '../src/ui/capacity/CapacityView.js';
import { lineText } from '../src/ui/results/lines.js';
import { App } from '../src/ui/App.js';
import { loadTheme } from '../src/ui/theme.js';
import { fakeSource } from './board-fixtures.js';
import { threeTasks } from './fixtures-results.js';

const pt = (c: number, tok: number, ttft: number, met: boolean): PointRow => ({
  key: `m/d @c=${c}`,
  base: 'm/d',
  kind: 'concurrency',
  value: c,
  reqPerS: tok / 8,
  outTokPerS: tok,
  perUserTokPerS: tok / c,
  ttftAvg: ttft / 2,
  ttftP50: ttft / 2,
  ttftP99: ttft,
  tpotAvg: 5,
  tpotP99: 6,
  itlP99: 6,
  e2elAvg: ttft + 40,
  e2elP99: ttft + 50,
  concurrency: c,
  failed: 0,
  success: 64,
  sloMet: met,
  files: {},
});
const report: CapacityReport = {
  kind: 'concurrency',
  points: [pt(1, 180, 20, true), pt(4, 570, 25, true), pt(16, 1230, 40, true), pt(64, 1240, 900, false)],
  repeats: [],
  objectives: ['ttft:p99<=100'],
  lines: [],
  files: [],
  extra: {},
};
const theme = loadTheme('no-color');

describe('capacity view', () => {
  test('four curves with the SLO line on TTFT, and the points table', () => {
    const text = capacityLines(report, 120, { sortCol: 1, desc: false }).map(lineText).join('\n');
    expect(text).toContain('Capacity: concurrency sweep   SLO ttft:p99<=100');
    for (const t of ['Output token throughput', 'TTFT p99', 'TPOT p99', 'Per-user vs total (Pareto front)'])
      expect(text).toContain(t);
    expect(text).toContain('╌ SLO 100');
    expect(text).toMatch(/[\u2801-\u28ff]/); // braille dots drawn
    expect(text).toMatch(/╌{3,}/); // the SLO row
    expect(text).toContain('concurrency (log2)');
    const rows = text.split('\n').filter((l) => l.startsWith('m/d @c='));
    expect(rows.map((r) => r.split(/\s+/)[1])).toEqual(['@c=1', '@c=4', '@c=16', '@c=64']);
    expect(rows[3]).toMatch(/FAIL\s*$/);
  });

  test('adaptive: the cap over time with a mark per decision', () => {
    const ev = (tS: number, phase: string, from: number, to: number, why: string) => ({
      tS,
      phase,
      from,
      to,
      why,
      window: {},
      n: 8,
    });
    const a = {
      ...report,
      points: [pt(8, 900, 80, false)],
      extra: {
        adaptive: [
          {
            task: 'm/d',
            boundary: 8,
            holdMean: 8,
            holdStartS: 10,
            capSeries: [
              [0, 2],
              [4, 4],
              [7, 8],
              [9, 16],
              [10, 8],
            ],
            events: [
              ev(0, 'ramp', 2, 2, 'start'),
              ev(4, 'ramp', 2, 4, 'held'),
              ev(7, 'ramp', 4, 8, 'held'),
              ev(9, 'ramp', 8, 16, 'held'),
              ev(10, 'hold', 16, 8, 'broke'),
              ev(16, 'end', 8, 8, 'done'),
            ],
          },
        ],
      },
    } as CapacityReport;
    const text = capacityLines(a, 100, { sortCol: 1, desc: false }).map(lineText).join('\n');
    expect(text).toContain('m/d: adaptive, settled at 8');
    expect(text).toContain('Concurrency cap over time');
    // 3 raises, 1 back-off; the start and the end are holds
    const marks = text.split('\n').find((l) => /[▲▼■]/.test(l))!;
    expect([...marks].filter((c) => c === '▲')).toHaveLength(3);
    expect([...marks].filter((c) => c === '▼')).toHaveLength(1);
    expect([...marks].filter((c) => c === '■')).toHaveLength(2);
    expect(text).toContain('t=10s hold: 16 → 8 (broke)');
  });

  test('Right moves the sort column, r reverses', async () => {
    const { lastFrame, stdin, unmount } = render(
      <CapacityView
        report={report}
        theme={theme}
        width={120}
        height={80}
        interrupted={false}
        onTasks={() => {}}
        onExit={() => {}}
      />,
    );
    const order = () =>
      (lastFrame() ?? '')
        .split('\n')
        .filter((l) => l.startsWith('m/d @c='))
        .map((l) => l.split(/\s+/)[1]);
    expect(order()).toEqual(['@c=1', '@c=4', '@c=16', '@c=64']);
    stdin.write('\u001B[C'); // right: req/s
    await vi.waitFor(() => expect(lastFrame()).toContain('req/s▲'));
    stdin.write('r');
    await vi.waitFor(() => expect(order()).toEqual(['@c=64', '@c=16', '@c=4', '@c=1']));
    unmount();
  });

  test('in the app: the capacity view first, Enter to the task results, c back', async () => {
    const { lastFrame, stdin, unmount } = render(
      <App
        source={fakeSource(1)}
        theme={theme}
        runDir="/r"
        results={threeTasks()}
        capacity={report}
        interrupted={false}
        onStop={() => {}}
        onForceExit={() => {}}
        onExit={() => {}}
        width={120}
        height={80}
      />,
    );
    expect(lastFrame()).toContain('Capacity: concurrency sweep');
    stdin.write('\r');
    await vi.waitFor(() => expect(lastFrame()).not.toContain('Capacity: concurrency sweep'));
    // 'c' only ever goes back, so repeating it until the view's key handler is active is harmless.
    await vi.waitFor(() => {
      stdin.write('c');
      expect(lastFrame()).toContain('Capacity: concurrency sweep');
    });
    unmount();
  });
});
