/**
 * The capacity view, shown first after a sweep, search or adaptive run:
 * curves, the sortable points table and the answer. Enter goes to the
 * per-task results view (`c` there comes back); `q` quits.
 */
import { useInput, useStdin } from 'ink';
import React, { useMemo, useState } from 'react';
import type { CapacityReport } from '../../capacity/campaign.js';
import type { Theme } from '../theme.js';
import { ResultsFrame } from '../results/ResultsFrame.js';
import { seg } from '../results/lines.js';
import { capacityLines, TABLE_COLUMNS } from './capacity-lines.js';

export interface CapacityViewProps {
  report: CapacityReport;
  theme: Theme;
  width: number;
  height: number;
  onTasks: () => void;
  onExit: (code: number) => void;
  interrupted: boolean;
}

export function CapacityView(p: CapacityViewProps) {
  const [st, setSt] = useState({ sortCol: 1, desc: false });
  const [scroll, setScroll] = useState(0);
  const lines = useMemo(() => capacityLines(p.report, p.width, st), [p.report, p.width, st]);
  const room = Math.max(3, p.height - 2);
  const maxScroll = Math.max(0, lines.length - room);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) p.onExit(p.interrupted ? 130 : 0);
      else if (key.return) p.onTasks();
      else if (key.leftArrow) setSt((s) => ({ ...s, sortCol: Math.max(0, s.sortCol - 1) }));
      else if (key.rightArrow) setSt((s) => ({ ...s, sortCol: Math.min(TABLE_COLUMNS.length - 1, s.sortCol + 1) }));
      else if (input === 's') setSt((s) => ({ ...s, desc: false }));
      else if (input === 'r' || input === 'S') setSt((s) => ({ ...s, desc: !s.desc }));
      else if (key.downArrow || input === 'j') setScroll((x) => Math.min(maxScroll, x + 1));
      else if (key.upArrow || input === 'k') setScroll((x) => Math.max(0, x - 1));
      else if (key.pageDown || input === ' ') setScroll((x) => Math.min(maxScroll, x + room));
      else if (key.pageUp) setScroll((x) => Math.max(0, x - room));
    },
    { isActive: isRawModeSupported },
  );
  const shown = [
    ...lines.slice(Math.min(scroll, maxScroll), Math.min(scroll, maxScroll) + room),
    [],
    [seg("Enter task results (there 'c' comes back)  Up/Down scroll  'q' quit", 'key')],
  ];
  return <ResultsFrame lines={shown} theme={p.theme} />;
}
