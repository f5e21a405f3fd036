/**
 * The per-shard table of a merged run in the results view (#20), through
 * ink-testing-library: hand-made rows, read back from the frame.
 */
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { ShardBreakdownRow } from '../src/metrics/types.js';
import { stripAnsi } from '../src/ui/results/ansi.js';
import { ResultsView } from '../src/ui/results/ResultsView.js';
import { loadTheme } from '../src/ui/theme.js';
import { makeResult } from './fixtures-results.js';

const theme = loadTheme('default', {});

const row = (shard: number, o: Partial<ShardBreakdownRow> = {}): ShardBreakdownRow => ({
  task: 'model-a/gsm8k',
  shard,
  host: `pod-${shard}`,
  requests: 15,
  success: 15,
  requestThroughput: 7.5,
  outputTokenThroughput: 312.25,
  ttftP99: 84.21,
  startLagMs: 2.5,
  startSpreadMs: 0,
  ...o,
});

function view(shards: ShardBreakdownRow[] | undefined, height = 90) {
  const r = makeResult();
  if (shards) r.shards = shards;
  const app = render(
    <ResultsView
      results={[r]}
      runDir="outputs/sh/merged"
      interrupted={false}
      theme={theme}
      onExit={vi.fn()}
      width={140}
      height={height}
    />,
  );
  return { app, frame: (): string => stripAnsi(app.lastFrame() ?? '') };
}

/** The cells of the frame line whose first cell is `first` (columns are two or more spaces apart). */
function cells(frame: string, first: string): string[] | undefined {
  return frame
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))
    .find((c) => c[0] === first && c.length > 5);
}

describe('results view: per-shard table of a merged run', () => {
  it('one row per shard in shard order: requests, ok, throughputs, TTFT P99, start lag and start difference', async () => {
    // Given out of order: shown 0, 1, 2. Shard 2 started 41.25 ms after shard 0 and 43.75 ms after the instant.
    const { app, frame } = view([
      row(2, { host: 'pod-2', ttftP99: 131.06, startLagMs: 43.75, startSpreadMs: 41.25, success: 14 }),
      row(0),
      row(1, { startLagMs: null, startSpreadMs: 3.5 }),
    ]);
    await vi.waitFor(() => expect(frame()).toContain('Shards (3, merged)'));
    const f = frame();
    expect(f).toMatch(
      /Shard\s+Host\s+Requests\s+OK\s+req\/s\s+out tok\/s\s+TTFT P99 \(ms\)\s+start lag \(ms\)\s+start diff \(ms\)/,
    );
    // 4 significant digits for rates and TTFT (312.25 → 312.3, 131.06 → 131.1), one decimal for lag/diff (43.75 → 43.8).
    expect(cells(f, '0')).toEqual(['0', 'pod-0', '15', '15', '7.5', '312.3', '84.21', '2.5', '0.0']);
    // A shard without --start-at has no lag: '-'.
    expect(cells(f, '1')).toEqual(['1', 'pod-1', '15', '15', '7.5', '312.3', '84.21', '-', '3.5']);
    expect(cells(f, '2')).toEqual(['2', 'pod-2', '15', '14', '7.5', '312.3', '131.1', '43.8', '41.3']);
    const lines = f.split('\n');
    expect(lines.findIndex((l) => l.startsWith('Shards'))).toBeGreaterThan(
      lines.findIndex((l) => l.includes('Common Metric')),
    );
    app.unmount();
  });

  it('a single run has no shard table; a host name cannot carry terminal controls', async () => {
    const single = view(undefined);
    await vi.waitFor(() => expect(single.frame()).toContain('Common Metric'));
    expect(single.frame()).not.toContain('Shards (');
    single.app.unmount();
    const bad = view([row(0, { host: 'evil\u001b]0;owned\u0007host' })]);
    await vi.waitFor(() => expect(bad.frame()).toContain('Shards (1, merged)'));
    expect(bad.app.lastFrame()).not.toContain('\u001b]0;');
    bad.app.unmount();
  });
});
