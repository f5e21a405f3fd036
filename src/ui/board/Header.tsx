import { Text } from 'ink';
import React, { memo } from 'react';
import type { Theme } from '../theme.js';
import { formatClock } from './format.js';
import { HelpLine } from './HelpLine.js';

export interface HeaderProps {
  runDir: string;
  /** Epoch ms of the snapshot shown. */
  updatedAt: number;
  page: number;
  pages: number;
  rows: number;
  paused: boolean;
  stopping: boolean;
  theme: Theme;
}

/** Lines above the table, as in seed 000 (always HEADER_LINES lines). */
export const HEADER_LINES = 4;

export const Header = memo(function Header(p: HeaderProps) {
  return (
    <>
      <Text wrap="truncate">{`Base path of result&log : ${p.runDir}`}</Text>
      <Text wrap="truncate">
        <Text color={p.theme.color('header')}>Task Progress Table (Updated at: {formatClock(p.updatedAt)})</Text>
        {p.paused ? (
          <Text color={p.theme.color('paused')} bold>
            {' '}
            PAUSED
          </Text>
        ) : null}
        {p.stopping ? <Text color={p.theme.color('stopping')}> stopping…</Text> : null}
      </Text>
      <Text wrap="truncate">
        {/* two spaces as in AISBench's header; a JSX string keeps them (a formatter collapses runs of spaces in JSX text) */}
        Page: {p.page}/{p.pages}
        {'  '}Total {p.rows} rows of data
      </Text>
      <HelpLine theme={p.theme} />
    </>
  );
});
