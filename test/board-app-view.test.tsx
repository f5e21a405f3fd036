import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/ui/App.js';
import { loadTheme } from '../src/ui/theme.js';
import { fakeSource } from './board-fixtures.js';

const theme = loadTheme('no-color', {});
let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('App', () => {
  it('shows the board while results are null', () => {
    const r = render(
      <App
        source={fakeSource(3)}
        theme={theme}
        onStop={vi.fn()}
        onForceExit={vi.fn()}
        runDir="out/x"
        interrupted={false}
        onExit={vi.fn()}
        results={null}
        width={100}
        height={24}
      />,
    );
    unmount = r.unmount;
    expect(r.lastFrame()).toContain('Task Progress Table');
  });

  it('shows the failure message when a run has no results, and q leaves with code 1', async () => {
    const onExit = vi.fn();
    const r = render(
      <App
        source={fakeSource(1)}
        theme={theme}
        onStop={vi.fn()}
        onForceExit={vi.fn()}
        runDir="out/x"
        interrupted={false}
        onExit={onExit}
        results={[]}
        message="every request failed (E_CONNECT x3)"
      />,
    );
    unmount = r.unmount;
    expect(r.lastFrame()).toContain('every request failed (E_CONNECT x3)');
    r.stdin.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(1));
  });
});
