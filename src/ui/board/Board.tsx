import { Box, Text, useInput, useStdin } from 'ink';
import React, { useEffect, useRef, useState } from 'react';
import type { SnapshotSource, TaskSnapshot } from '../../engine/types.js';
import { matches } from '../keymap.js';
import type { Theme } from '../theme.js';
import { useSnapshot } from '../use-snapshot.js';
import { Header, HEADER_LINES } from './Header.js';
import { computeLayout, formatHeader, formatRule, TABLE_HEADER_LINES, type TableLayout } from './layout.js';
import { TaskRow } from './TaskRow.js';

export interface BoardProps {
  source: SnapshotSource;
  theme: Theme;
  /** Terminal size in columns and lines. */
  width: number;
  height: number;
  /** First Ctrl+C: stop sending and finish the run. */
  onStop: () => void;
  /** Second Ctrl+C: leave at once. */
  onForceExit: () => void;
  /** Start paused (the view takes no snapshots until P). */
  paused?: boolean;
}

/** Rows of tasks that fit: the frame stays at most height - 1 lines tall. */
const MAX_WARNING_LINES = 2;

export function pageSizeFor(height: number): number {
  return Math.max(1, height - 1 - HEADER_LINES - TABLE_HEADER_LINES);
}

/** Keeps the previous layout object while widths are unchanged, so memoised rows stay memoised. */
function useStableLayout(tasks: readonly TaskSnapshot[], width: number): TableLayout {
  const ref = useRef<{ sig: string; layout: TableLayout } | null>(null);
  const layout = computeLayout(tasks, width);
  const sig = `${layout.compactCounts}|${layout.progressSuffix}|${layout.columns.map((c) => `${c.id}:${c.width}`).join(',')}`;
  if (ref.current?.sig !== sig) ref.current = { sig, layout };
  return ref.current.layout;
}

/** The live progress table of seed 000: header lines, one page of task rows, keys. */
export function Board({ source, theme, width, height, onStop, onForceExit, paused: startPaused = false }: BoardProps) {
  const [paused, setPaused] = useState(startPaused);
  const [page, setPage] = useState(0);
  const [stopPresses, setStopPresses] = useState(0);
  const stopPressesRef = useRef(0);
  const snapshot = useSnapshot(source, paused);
  const { isRawModeSupported } = useStdin();

  const tasks = snapshot.tasks;
  // Warnings (e.g. a rate out of reach) take lines under the table, at most two.
  const warned = tasks.filter((t) => t.warning);
  const warnLines = warned.slice(0, MAX_WARNING_LINES).map((t) => `! ${t.key}: ${t.warning}`);
  if (warned.length > MAX_WARNING_LINES)
    warnLines[MAX_WARNING_LINES - 1] += ` (+${warned.length - MAX_WARNING_LINES} more tasks warned, see their logs)`;
  const pageSize = Math.max(1, pageSizeFor(height) - warnLines.length);
  const pages = Math.max(1, Math.ceil(tasks.length / pageSize));
  // A resize can leave the page past the end: clamp on read, not in an effect.
  const shown = Math.min(page, pages - 1);
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  // Keep the clamp: growing the terminal back must not jump to the old page.
  useEffect(() => {
    if (page !== shown) setPage(shown);
  }, [page, shown]);
  const layout = useStableLayout(tasks, width);

  useInput(
    (input, key) => {
      if (matches('app.stop', input, key)) {
        if (stopPressesRef.current === 0) {
          stopPressesRef.current = 1;
          setStopPresses(1);
          setPaused(false);
          onStop();
        } else onForceExit();
      } else if (matches('board.nextPage', input, key)) {
        // Functional updates and a ref: several keys may arrive before the next render.
        setPage((p) => Math.min(pagesRef.current - 1, p + 1));
      } else if (matches('board.prevPage', input, key)) {
        setPage((p) => Math.max(0, Math.min(p, pagesRef.current - 1) - 1));
      } else if (matches('board.pause', input, key)) {
        setPaused((p) => !p);
      }
    },
    { isActive: isRawModeSupported === true },
  );

  const visible = tasks.slice(shown * pageSize, (shown + 1) * pageSize);
  return (
    <Box flexDirection="column">
      <Header
        runDir={snapshot.runDir}
        updatedAt={snapshot.updatedAt}
        page={shown + 1}
        pages={pages}
        rows={tasks.length}
        paused={paused}
        stopping={stopPresses > 0 || snapshot.stopping}
        theme={theme}
      />
      <Text color={theme.color('table.header')} bold wrap="truncate">
        {formatHeader(layout)}
      </Text>
      <Text color={theme.color('border')} wrap="truncate">
        {formatRule(layout)}
      </Text>
      {visible.map((task) => (
        <TaskRow key={task.key} task={task} layout={layout} theme={theme} />
      ))}
      {warnLines.map((l, i) => (
        <Text key={`warn-${i}`} color={theme.color('status.error')} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}
