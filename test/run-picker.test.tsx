/** `view` without a run: the saved runs, newest first, with model, dataset, date and headline numbers; Enter picks. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { listRunEntries } from '../src/output/run-list.js';
import { RunPicker } from '../src/ui/RunPicker.js';
import { loadTheme } from '../src/ui/theme.js';

const work = mkdtempSync(path.join(tmpdir(), 'aisb-picker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(name: string, model: string, total: string, failed: string, outTok: string): void {
  const dir = path.join(work, name, 'performances', 'm');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'gsm8k_meta.json'), JSON.stringify({ model }));
  writeFileSync(
    path.join(dir, 'gsm8k.json'),
    JSON.stringify({
      'Total Requests': { total },
      'Failed Requests': { total: failed },
      'Output Token Throughput': { total: `${outTok} token/s` },
    }),
  );
}

describe('run picker', () => {
  it('lists runs newest first and Enter on the second picks the older one', async () => {
    run('20251106_103326', 'old-model', '1000', '3', '1234.567');
    run('20251107_090000', 'new-model', '200', '0', '98.76');
    const runs = listRunEntries(work);
    expect(runs.map((r) => r.name)).toEqual(['20251107_090000', '20251106_103326']);
    expect(runs[1]).toMatchObject({
      date: '2025-11-06 10:33:26',
      models: ['old-model'],
      datasets: ['gsm8k'],
      requests: 1000,
      failed: 3,
    });
    const onPick = vi.fn();
    const app = render(<RunPicker runs={runs} theme={loadTheme('no-color', {})} height={24} onPick={onPick} />);
    const frame = () => app.lastFrame() ?? '';
    expect(frame()).toContain('2025-11-07 09:00:00  new-model  gsm8k  200 req, 0 failed, 98.76 tok/s');
    expect(frame()).toContain('2025-11-06 10:33:26  old-model  gsm8k  1,000 req, 3 failed, 1,235 tok/s');
    await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
    // Down and Enter at once, as a fast typist or a paste sends them.
    app.stdin.write('\u001B[B');
    app.stdin.write('\r');
    await vi.waitFor(() => expect(onPick).toHaveBeenCalled());
    expect(onPick.mock.calls[0]![0].name).toBe('20251106_103326');
    app.unmount();
  });
});
