/**
 * `aisbench-tui view` without a run: pick one of the saved runs (newest
 * first) with Up/Down and Enter; q or Esc leaves.
 */
import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { RunEntry } from '../output/run-list.js';
import { sanitizeText } from '../core/sanitize.js';
import type { Theme } from './theme.js';
import { compactNumber } from './results/format.js';

export interface RunPickerProps {
  runs: readonly RunEntry[];
  theme: Theme;
  /** Rows of the terminal (the list scrolls within them). */
  height: number;
  onPick: (run: RunEntry | null) => void;
}

export function runLine(r: RunEntry): string {
  const models = sanitizeText(r.models.join(',') || '-');
  const datasets = sanitizeText(r.datasets.join(',') || '-');
  const out = Number.isFinite(r.outTokPerSec) ? `${compactNumber(r.outTokPerSec)} tok/s` : 'no results';
  return `${r.date}  ${models}  ${datasets}  ${compactNumber(r.requests, true)} req, ${compactNumber(r.failed, true)} failed, ${out}`;
}

export function RunPicker({ runs, theme, height, onPick }: RunPickerProps) {
  const [sel, setSelState] = useState(0);
  // A ref as well: keys that arrive together (Down then Enter) act on the latest choice.
  const selRef = useRef(0);
  const setSel = (v: number): void => {
    selRef.current = v;
    setSelState(v);
  };
  useInput((input, key) => {
    if (key.upArrow) setSel(Math.max(0, selRef.current - 1));
    else if (key.downArrow) setSel(Math.min(runs.length - 1, selRef.current + 1));
    else if (key.return) onPick(runs[selRef.current] ?? null);
    else if (input === 'q' || key.escape) onPick(null);
  });
  const rows = Math.max(1, height - 3);
  const first = Math.max(0, Math.min(sel - Math.floor(rows / 2), runs.length - rows));
  return (
    <Box flexDirection="column">
      <Text bold color={theme.color('table.header')}>
        Saved runs, newest first (Up/Down, Enter opens, q leaves)
      </Text>
      {runs.slice(first, first + rows).map((r, i) => (
        <Text key={r.name} inverse={first + i === sel} wrap="truncate">
          {runLine(r)}
        </Text>
      ))}
    </Box>
  );
}

/** Shows the picker on the terminal; resolves with the chosen run (null: none). */
export async function pickRun(runs: readonly RunEntry[], theme: Theme): Promise<RunEntry | null> {
  const { render } = await import('ink');
  return new Promise((resolve) => {
    const app = render(
      <RunPicker
        runs={runs}
        theme={theme}
        height={process.stdout.rows || 24}
        onPick={(r) => {
          app.unmount();
          resolve(r);
        }}
      />,
    );
  });
}
