/**
 * The results view's drill-down (#18) on a real run: a small server written
 * here (not the simulator) streams 5 tokens with gaps of 2, 2, 2 and 200 ms
 * and answers every 4th request 500 with a terminal escape in its message; the
 * built CLI runs 12 requests against it and writes the details file the view
 * reads. Keys are driven through ink-testing-library's stdin.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stripAnsi } from '../src/ui/results/ansi.js';
import { attachDialectTools } from '../src/run/dialect-tools.js';
import { ResultsView } from '../src/ui/results/ResultsView.js';
import { sparkline } from '../src/ui/results/request-detail.js';
import { loadTheme } from '../src/ui/theme.js';
import type { TaskResult } from '../src/metrics/types.js';
import { makeResult } from './fixtures-results.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'aisbench-tui.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'drilldown-'));
const theme = loadTheme('default', {});
const RIGHT = '\u001B[C';
const DOWN = '\u001B[B';
const ENTER = '\r';
const ESC = '\u001B';
const SLOW = { timeout: 20_000, interval: 50 };
let server: http.Server;
let details = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  let n = 0;
  server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"m"}]}');
      return;
    }
    req.resume();
    req.on('end', () => {
      void (async () => {
        if (++n % 4 === 0) {
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":{"message":"boom \u001b]0;evil\u0007 overloaded"}}');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (t: string) =>
          res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`);
        await sleep(20);
        for (const gap of [0, 2, 2, 2, 200]) {
          await sleep(gap);
          chunk('tok ');
        }
        res.end('data: [DONE]\n\n');
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const args = [
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    `http://127.0.0.1:${port}`,
    '--model',
    'm',
    '--num-prompts',
    '12',
    '--max-concurrency',
    '4',
    '--retry',
    '0',
    '--num-warmups',
    '0',
    '--no-tui',
    '-w',
    tmp,
  ];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: 'ignore',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.once('close', resolve);
  });
  // 3 of 12 failed: the run still ends (exit 0 or 1 are both "finished").
  expect(code === 0 || code === 1, `exit ${code}`).toBe(true);
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) =>
      statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)],
    );
  details = walk(tmp).find((f) => f.endsWith('_details.jsonl')) ?? '';
  expect(existsSync(details)).toBe(true);
}, 90_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

function setup(width: number, height: number) {
  const result: TaskResult = attachDialectTools(
    makeResult({ abbr: 'vllm-api-stream-chat', dataset: 'synthetic' }),
    details,
    { maxConcurrency: 4 } as never,
  );
  const onExit = vi.fn();
  const app = render(
    <ResultsView
      results={[result]}
      runDir={tmp}
      exportDir={tmp}
      interrupted={false}
      theme={theme}
      onExit={onExit}
      width={width}
      height={height}
    />,
  );
  const frame = (): string => stripAnsi(app.lastFrame() ?? '');
  const ready = () => vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
  const press = async (k: string) => {
    app.stdin.write(k);
    await new Promise((r) => setImmediate(r));
  };
  return { app, frame, ready, press };
}

/** Data rows of the request list: [id, status, ttft, e2el, tpot, out, in, sent]. */
function listRows(f: string): string[][] {
  return f
    .split('\n')
    .map((l) => l.trim().split(/ {2,}/))
    .filter((c) => c.length >= 3 && /^\d+$/.test(c[0]!) && /^(ok|E_\w+)$/.test(c[1]!));
}

describe('results drill-down', () => {
  it('l lists every request; s sorts by the cursor column; f keeps the failures, their message sanitised', async () => {
    const { app, frame, ready, press } = setup(120, 40);
    await ready();
    await press('l');
    await vi.waitFor(() => expect(frame()).toContain('requests: 12 shown of 12, 3 failed'), SLOW);
    expect(frame()).toMatch(/Id +Status +TTFT \(ms\) +E2EL \(ms\) +TPOT \(ms\) +Out \(tok\) +In \(tok\) +Sent \(s\)/);
    expect(listRows(frame())).toHaveLength(12);
    // The help line is the list's own: sort applies here, and there is a way back.
    expect(frame()).toContain("'s' sort");
    expect(frame()).toContain("'f' failed only");
    expect(frame()).toContain('Esc back');

    // Cursor to TTFT, sort ascending: successes by TTFT, failures (no TTFT) last.
    await press(RIGHT);
    await press('s');
    await vi.waitFor(() => expect(frame()).toContain('TTFT (ms) ▲'));
    const ttft = listRows(frame()).map((c) => Number(c[2]!.replace(/,/g, '')));
    const okTtft = ttft.filter((v) => !Number.isNaN(v));
    expect(okTtft).toHaveLength(9);
    expect(okTtft).toEqual([...okTtft].sort((a, b) => a - b));
    expect(
      listRows(frame())
        .slice(9)
        .every((c) => c[1] === 'E_HTTP_500'),
    ).toBe(true);
    // Every TTFT is at least the server's 20 ms (loose upper bound for a loaded machine).
    for (const v of okTtft) expect(v).toBeGreaterThanOrEqual(19);

    // S reverses; then f: failures only, with the message of the selected one, without the escape.
    await press('S');
    await vi.waitFor(() => expect(frame()).toContain('TTFT (ms) ▼'));
    await press('f');
    await vi.waitFor(() => expect(frame()).toContain('3 shown of 12, 3 failed  [failed only]'));
    expect(listRows(frame()).map((c) => c[1])).toEqual(['E_HTTP_500', 'E_HTTP_500', 'E_HTTP_500']);
    expect(frame()).toMatch(/E_HTTP_500: .*boom/);
    expect(app.lastFrame()).not.toContain('\u001b]0;');
    expect(frame()).not.toContain('evil\u0007');
    // m: the task is recomputed in the next dialect and the list is read again under it.
    await press('m');
    await vi.waitFor(() => expect(frame()).toContain('dialect: aisbench-exact'), SLOW);
    await vi.waitFor(() => expect(frame()).toContain('3 shown of 12, 3 failed  [failed only]'), SLOW);
    app.unmount();
  });

  it('Enter shows the ITL sparkline and the Gantt around the request; Esc goes back, Esc again leaves', async () => {
    const { app, frame, ready, press } = setup(80, 24);
    await ready();
    await press('l');
    await vi.waitFor(() => expect(listRows(frame()).length).toBeGreaterThan(3), SLOW);
    // Sort by status: successes first, then select the second one.
    await press('s');
    await press(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('Status ▲'));
    const id = listRows(frame())[1]![0]!;
    await press(ENTER);
    await vi.waitFor(() => expect(frame()).toMatch(/ITL \(ms\): 4 gaps/), SLOW);
    const f = frame();
    expect(f).toContain(`request ${id}`);
    // Gaps 2, 2, 2, 200 ms: the last is the tallest block, the first three much lower.
    const spark = f
      .split('\n')
      .find((l) => /^[▁▂▃▄▅▆▇█]{4}$/.test(l.trim()))!
      .trim();
    expect(spark[3]).toBe('█');
    expect([...spark.slice(0, 3)].every((c) => '▁▂▃▄'.includes(c))).toBe(true);
    // The Gantt marks this request and draws its wait and its stream.
    const me = f.split('\n').find((l) => new RegExp(`^>\\s*${id} \\|`).test(l))!;
    expect(me).toMatch(/░*█+/);
    expect(f).toMatch(/Gantt: \d+ requests sent around it/);
    for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
    expect(f).toContain('Esc back');
    await press(ESC);
    await vi.waitFor(() => expect(frame()).toContain('requests: 12 shown of 12'));
    await press(ESC);
    await vi.waitFor(() => expect(frame()).toContain('Performance Parameters'));
    // The task's help no longer offers a sort it cannot do.
    expect(frame()).not.toContain("'s' sort");
    expect(frame()).toContain("'l' requests");
    app.unmount();
  });
});

describe('sparkline', () => {
  it("scales 0..max; more values than columns keep each column's peak", () => {
    // 8 levels: v/max*8 rounded up → 10/80 = 1 → ▁, 40/80 = 4 → ▄, 80/80 → █.
    expect(sparkline([10, 40, 80], 10)).toBe('▁▄█');
    // 6 values into 3 columns: peaks 10, 80, 40.
    expect(sparkline([5, 10, 80, 1, 40, 2], 3)).toBe('▁█▄');
    expect(sparkline([], 5)).toBe('');
  });
});
