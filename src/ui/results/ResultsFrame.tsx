/**
 * Renders pre-laid-out Lines: one <Text> per line, nested <Text> per styled
 * segment. Stateless, so the terminal and renderToString draw the same frame.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Theme } from '../theme.js';
import type { Line } from './lines.js';

export interface ResultsFrameProps {
  lines: readonly Line[];
  theme: Theme;
}

const FrameLine = memo(function FrameLine({ line, theme }: { line: Line; theme: Theme }) {
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text
          key={i}
          color={s.token ? theme.color(s.token) : undefined}
          inverse={s.inverse ?? false}
          bold={s.bold ?? false}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
});

export function ResultsFrame({ lines, theme }: ResultsFrameProps) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <FrameLine key={i} line={l} theme={theme} />
      ))}
    </Box>
  );
}
