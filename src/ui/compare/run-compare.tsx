/** Shows the A/B view in the alternate screen until `q`; the terminal is restored on every way out. */
import { render } from 'ink';
import React from 'react';
import type { Comparison } from '../../capacity/compare.js';
import { loadTheme } from '../theme.js';
import { getPrefs } from '../prefs.js';
import { enterAltScreen, restoreTerminal } from '../terminal.js';
import { CompareView } from './CompareView.js';

export async function showCompareView(c: Comparison, themeName?: string): Promise<void> {
  const theme = loadTheme(themeName ?? getPrefs().theme);
  enterAltScreen();
  try {
    const app = render(<CompareView comparison={c} theme={theme} />, { exitOnCtrlC: true });
    await app.waitUntilExit();
  } finally {
    restoreTerminal();
  }
}
