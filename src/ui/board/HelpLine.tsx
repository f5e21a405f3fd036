import { Text } from 'ink';
import React, { memo } from 'react';
import { helpLine, type Action } from '../keymap.js';
import type { Theme } from '../theme.js';

const BOARD_ACTIONS: Action[] = ['board.prevPage', 'board.nextPage', 'board.pause', 'app.stop'];

/** "Press Up/Down to page, 'P' to pause/resume screen refresh, 'Ctrl+C' to exit", from the keymap table. */
export const HelpLine = memo(function HelpLine({ theme }: { theme: Theme }) {
  return (
    <Text color={theme.color('muted')} wrap="truncate">
      Press {helpLine(BOARD_ACTIONS)}
    </Text>
  );
});
