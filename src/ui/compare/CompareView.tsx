/**
 * The A/B view of `aisbench-tui compare`: one task at a time, each metric's
 * A, B, delta and %, regressions in the error colour, improvements in the
 * success colour. Keys: Tab/Shift+Tab (or 1-9) task, Up/Down scroll,
 * `r` regressions and improvements only, `s` sort by |%|, `q` quit.
 */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useMemo, useState } from 'react';
import type { Comparison, CompareRow } from '../../capacity/compare.js';
import { rowCells } from '../../capacity/compare.js';
import type { Theme } from '../theme.js';
import { ResultsFrame } from '../results/ResultsFrame.js';
import type { Line } from '../results/lines.js';

export interface CompareViewProps {
  comparison: Comparison;
  theme: Theme;
  rows?: number;
  onQuit?: () => void;
}

/** The frame as lines (pure: tests read it without a terminal). */
export function compareLines(
  c: Comparison,
  task: string,
  opts: { marked: boolean; sorted: boolean; offset: number; height: number },
): Line[] {
  let rows: CompareRow[] = c.rows.filter((r) => r.task === task && (!opts.marked || r.mark !== ''));
  if (opts.sorted) rows = [...rows].sort((x, y) => (Math.abs(y.pct) || 0) - (Math.abs(x.pct) || 0));
  const head = ['metric', 'A', 'B', 'delta', '%', ''];
  const cells = [head, ...rows.map(rowCells)];
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((x, i) => (i === 0 || i === 5 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ');
  const body = rows.slice(opts.offset, opts.offset + opts.height).map((r, i): Line => {
    const token = r.mark === 'regression' ? 'error' : r.mark === 'improved' ? 'success' : undefined;
    return [{ text: fmt(cells[opts.offset + i + 1]!), token }];
  });
  const reg = c.rows.filter((r) => r.task === task && r.mark === 'regression').length;
  return [
    [{ text: `A: ${c.a}`, token: 'muted' }],
    [{ text: `B: ${c.b}`, token: 'muted' }],
    [
      { text: `task ${task}  `, token: 'accent', bold: true },
      { text: `${reg} regression(s) beyond ${c.thresholdPct}%`, token: reg ? 'error' : 'success' },
    ],
    [{ text: fmt(head), token: 'table.header', bold: true }],
    ...body,
    [],
    [
      {
        text: `Tab task  Up/Down scroll  r ${opts.marked ? 'all rows' : 'changes only'}  s ${opts.sorted ? 'table order' : 'sort by |%|'}  q quit   (↓ lower is better, ↑ higher)`,
        token: 'key',
      },
    ],
  ];
}

export function CompareView({ comparison, theme, rows, onQuit }: CompareViewProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const tasks = useMemo(() => [...new Set(comparison.rows.map((r) => r.task))], [comparison]);
  const [ti, setTi] = useState(0);
  const [offset, setOffset] = useState(0);
  const [marked, setMarked] = useState(false);
  const [sorted, setSorted] = useState(false);
  const height = Math.max(3, (rows ?? stdout?.rows ?? 24) - 8);
  useInput((input, key) => {
    if (input === 'q' || key.escape) {
      onQuit?.();
      exit();
    } else if (key.tab) {
      setTi((i) => (i + (key.shift ? tasks.length - 1 : 1)) % tasks.length);
      setOffset(0);
    } else if (/^[1-9]$/.test(input) && Number(input) <= tasks.length) {
      setTi(Number(input) - 1);
      setOffset(0);
    } else if (key.downArrow) setOffset((o) => o + 1);
    else if (key.upArrow) setOffset((o) => Math.max(0, o - 1));
    else if (input === 'r') {
      setMarked((m) => !m);
      setOffset(0);
    } else if (input === 's') setSorted((s) => !s);
  });
  const task = tasks[ti] ?? '';
  const total = comparison.rows.filter((r) => r.task === task && (!marked || r.mark !== '')).length;
  const off = Math.min(offset, Math.max(0, total - height));
  return (
    <Box flexDirection="column">
      <Text color={theme.color('muted')}>
        {tasks.map((t, i) => (i === ti ? `[${i + 1} ${t}]` : ` ${i + 1} ${t} `)).join(' ')}
      </Text>
      <ResultsFrame lines={compareLines(comparison, task, { marked, sorted, offset: off, height })} theme={theme} />
    </Box>
  );
}
