/**
 * The results view switches metric dialect in place (`m`, recomputed from the
 * details file) and shows the differences view (`d`) with its causes.
 * Records: the hand-typed ones of test/dialects.test.ts (role chunk 40 ms
 * before the first text, 3 tokens per chunk, one failure at each end).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stripAnsi } from '../src/ui/results/ansi.js';
import { encodeRecord } from '../src/engine/details-codec.js';
import { recomputeFromDetails } from '../src/output/details-recompute.js';
import { attachDialectTools } from '../src/run/dialect-tools.js';
import { ResultsView } from '../src/ui/results/ResultsView.js';
import { loadTheme } from '../src/ui/theme.js';
import { rec } from './metrics-helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'results-dialects-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function result() {
  const file = path.join(tmp, 'd_details.jsonl');
  const records = [
    rec({ t0: 0, ok: false, end: 2 }),
    rec({
      t0: 1,
      ttft: 50,
      gaps: [40000, 30000, 30000, 1000, 1000],
      ev: 'o3teu',
      k: [0, 3, 3, 3, 0, 0],
      outTok: 9,
      inTok: 20,
      end: 114,
    }),
    rec({ t0: 5, ttft: 40, gaps: [30000, 1000], ev: 'otu', outTok: 1, inTok: 10, end: 47 }),
    rec({ t0: 100, ok: false, code: 'E_TIMEOUT', end: 1000 }),
  ];
  writeFileSync(file, records.map(encodeRecord).join('\n') + '\n');
  const base = { key: 'sim/d', abbr: 'sim', dataset: 'd', model: 'm', maxConcurrency: 4 };
  const r = await recomputeFromDetails(file, { ...base, stats: ['Average', 'P99'] });
  return attachDialectTools(r, file, base);
}

describe('results view: metric dialects', () => {
  it('m recomputes every table in the next dialect; d shows each metric under every dialect with causes', async () => {
    const r = await result();
    const app = render(
      <ResultsView
        results={[r]}
        runDir="outputs/x"
        interrupted={false}
        theme={loadTheme('default', {})}
        onExit={() => undefined}
        width={160}
        height={80}
      />,
    );
    const frame = (): string => stripAnsi(app.lastFrame() ?? '');
    await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
    // aisbench: TTFT average (50 + 40) / 2 = 45 ms.
    await vi.waitFor(() => expect(frame()).toMatch(/dialect: aisbench\b/), { timeout: 10_000 });
    expect(frame()).toMatch(/^TTFT \(ms\)\s+total\s+45\s/m);
    app.stdin.write('m');
    // aisbench-exact: the role chunk is the TTFT: (10 + 10) / 2 = 10 ms.
    await vi.waitFor(() => expect(frame()).toMatch(/dialect: aisbench-exact/), { timeout: 10_000 });
    await vi.waitFor(() => expect(frame()).toMatch(/^TTFT \(ms\)\s+total\s+10\s/m), { timeout: 10_000 });
    app.stdin.write('d');
    await vi.waitFor(() => expect(frame()).toContain('metric dialects side by side'), { timeout: 10_000 });
    // Role chunk lead: R1 50 − 10 = 40 ms, R2 40 − 10 = 30 ms → 35 ms.
    await vi
      .waitFor(() => expect(frame()).toContain('role chunk 35 ms before first text (2 requests)'), { timeout: 10_000 })
      .catch((e) => {
        console.log(frame());
        throw e;
      });
    expect(frame()).toContain('2.5 tokens per chunk'); // (9 + 1) tokens over (3 + 1) text chunks
    expect(frame()).toContain('1 failure at the end of the run widens the duration');
    // Back to the tables; two more switches reach evalscope, which adds EvalScope's own layout.
    app.stdin.write('d');
    await vi.waitFor(() => expect(frame()).not.toContain('metric dialects side by side'));
    app.stdin.write('m');
    await vi.waitFor(() => expect(frame()).toMatch(/dialect: vllm/), { timeout: 10_000 });
    app.stdin.write('m');
    await vi.waitFor(() => expect(frame()).toMatch(/dialect: evalscope/), { timeout: 10_000 });
    await vi.waitFor(() => expect(frame()).toContain('Benchmarking summary:'), { timeout: 10_000 });
    expect(frame()).toContain('Percentile results:');
    app.unmount();
  }, 60_000);
});
