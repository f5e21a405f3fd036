import { useInput, useStdin } from 'ink';
import type { CapacityReport } from '../capacity/campaign.js';
import { CapacityView } from './capacity/CapacityView.js';
import React, { useState } from 'react';
import type { SnapshotSource } from '../engine/types.js';
import type { TaskResult } from '../metrics/types.js';
import { Board } from './board/Board.js';
import { ResultsView } from './results/ResultsView.js';
import { RunMessage } from './RunMessage.js';
import type { Theme } from './theme.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  source: SnapshotSource;
  theme: Theme;
  /** First Ctrl+C on the board: stop sending, finish the run. */
  onStop: () => void;
  /** Second Ctrl+C on the board: leave at once. */
  onForceExit: () => void;
  /** The run's results; once non-null the results view replaces the board. */
  results?: TaskResult[] | null;
  runDir: string;
  /** The run was stopped before every request was sent. */
  interrupted: boolean;
  /** One-line failure summary, shown when there are no results. */
  message?: string;
  /** Sweep/search/adaptive summary: its view comes first, `c` toggles to the task results. */
  capacity?: CapacityReport;
  /** The user left the results view; `code` is the process exit code. */
  onExit: (code: number) => void;
  /** Fixed terminal size (columns, lines); default: stdout's, following resizes. */
  width?: number;
  height?: number;
}

/** The whole app: the live board while the run goes, then the results view. */
export function App(props: AppProps) {
  const term = useTerminalSize();
  const width = props.width ?? term.columns;
  const height = props.height ?? term.rows;
  const [showCapacity, setShowCapacity] = useState(true);
  const { isRawModeSupported } = useStdin();
  // `c` in the task results view goes back to the capacity view.
  useInput(
    (input) => {
      if (input === 'c') setShowCapacity(true);
    },
    { isActive: Boolean(isRawModeSupported && props.results && props.capacity && !showCapacity) },
  );
  if (props.results && props.results.length === 0) {
    return (
      <RunMessage
        runDir={props.runDir}
        message={props.message ?? 'no results: no task finished a request'}
        theme={props.theme}
        code={props.interrupted ? 130 : 1}
        onExit={props.onExit}
      />
    );
  }
  if (props.results && props.capacity && showCapacity) {
    return (
      <CapacityView
        report={props.capacity}
        theme={props.theme}
        width={width}
        height={height}
        interrupted={props.interrupted}
        onTasks={() => setShowCapacity(false)}
        onExit={props.onExit}
      />
    );
  }
  if (props.results) {
    return (
      <ResultsView
        results={props.results}
        runDir={props.runDir}
        interrupted={props.interrupted}
        theme={props.theme}
        onExit={props.onExit}
        width={width}
        height={height}
      />
    );
  }
  return (
    <Board
      source={props.source}
      theme={props.theme}
      width={width}
      height={height}
      onStop={props.onStop}
      onForceExit={props.onForceExit}
    />
  );
}
