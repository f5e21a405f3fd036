import { Text } from 'ink';
import React, { memo } from 'react';
import type { TaskSnapshot } from '../../engine/types.js';
import type { Theme } from '../theme.js';
import { formatRow, type TableLayout } from './layout.js';

export interface TaskRowProps {
  task: TaskSnapshot;
  layout: TableLayout;
  theme: Theme;
}

/**
 * One task as one pre-formatted line (a <Text> with coloured spans, no Box per
 * cell). Memoised: a row whose task snapshot and layout did not change costs nothing.
 */
export const TaskRow = memo(function TaskRow({ task, layout, theme }: TaskRowProps) {
  const segments = formatRow(task, layout);
  return (
    <Text wrap="truncate">
      {segments.map((s, i) => {
        const color = s.token ? theme.color(s.token) : undefined;
        return color ? (
          <Text key={i} color={color}>
            {s.text}
          </Text>
        ) : (
          s.text
        );
      })}
    </Text>
  );
});
