import { Box, Text, useInput, useStdin } from 'ink';
import React from 'react';
import { helpLine, matches } from './keymap.js';
import type { Theme } from './theme.js';

export interface RunMessageProps {
  runDir: string;
  /** One-line reason there are no results to show. */
  message: string;
  theme: Theme;
  /** Exit code passed to onExit when the user leaves. */
  code: number;
  onExit: (code: number) => void;
}

/** What the app shows instead of the results view when a run produced no results. */
export function RunMessage({ runDir, message, theme, code, onExit }: RunMessageProps) {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (matches('app.quit', input, key) || matches('app.stop', input, key)) onExit(code);
    },
    { isActive: isRawModeSupported === true },
  );
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">{`Base path of result&log : ${runDir}`}</Text>
      <Text color={theme.color('error')}>{message}</Text>
      <Text color={theme.color('muted')}>Press {helpLine(['app.quit'])}</Text>
    </Box>
  );
}
