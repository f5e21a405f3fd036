/**
 * Pressure mode end to end: the engine holds batch_size requests in flight
 * against the live simulator for pressureMs, recycling the dataset, then
 * drains; the results get Stage 'stable' rows over the steady window only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../../src/sim/index.js';
import { TaskRunner, type TaskPlan } from '../../src/engine/task-runner.js';
import { chatPlan } from '../engine-helpers.js';
import { nowMs } from '../../src/engine/clock.js';
import type { RequestRecord } from '../../src/engine/types.js';
import { TaskAccumulator } from '../../src/metrics/accumulator.js';
/**
 * AISBench's #464 stable window, written out here independently of
 * src/metrics/stable.ts: events are the successful requests' start and last
 * token event; t2 = the second start after which in-flight is exactly CAP,
 * t4 = the last event after which it is CAP.
 */
function window464(records: RequestRecord[], cap: number): { startMs: number; endMs: number } {
  const ev: Array<[number, number]> = [];
  for (const r of records) if (r.ok) ev.push([r.t0, 1], [r.t0 + r.e2el, -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let c = 0;
  let starts = 0;
  let t2 = NaN;
  let t4 = NaN;
  for (const [t, d] of ev) {
    c += d;
    if (c !== cap) continue;
    if (d === 1 && ++starts === 2) t2 = t;
    t4 = t;
  }
  return { startMs: t2, endMs: t4 };
}
import { decodeLine } from '../../src/engine/details-codec.js';

const CAP = 32;

function plan(url: string): TaskPlan {
  // Fewer entries than the run sends: pressure mode recycles them.
  return chatPlan(url, 20, 16, () => 'one two three four', {
    key: 'sim/pressure',
    dataset: 'pressure',
    maxConcurrency: CAP,
    warmups: 1,
    pressureMs: 5000,
  });
}

describe('pressure mode against the live simulator', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSimulator({ ttftMs: 20, itlMs: 5 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('holds 32 in flight for 5 s, then drains; stable rows exclude the ramp-up', async () => {
    const p = plan(sim.url);
    const records: RequestRecord[] = [];
    const acc = new TaskAccumulator({ maxConcurrency: CAP, stable: true });
    const runner = new TaskRunner(p, {
      onRecords: (rs) => {
        for (const r of rs) {
          if (r.warmup) continue;
          records.push(r);
          acc.add(r);
        }
      },
      log: () => undefined,
    });
    // Sample the shared in-flight counter every 50 ms while requests are sent.
    const samples: Array<{ at: number; n: number; status: string }> = [];
    const sampler = setInterval(() => samples.push({ at: nowMs(), n: runner.inflight, status: runner.status }), 50);
    try {
      await runner.run();
    } finally {
      clearInterval(sampler);
    }
    const t0s = records.map((r) => r.t0).sort((a, b) => a - b);
    const sendingMs = t0s[t0s.length - 1]! - t0s[0]!;
    const sending = samples.filter((s) => s.status === 'inferencing');
    const start = sending[0]!.at;
    // After the (instant) ramp and before the 5 s stop, every sample is at the cap.
    const held = sending.filter((s) => s.at >= start + 200 && s.at <= start + p.pressureMs! - 200).map((s) => s.n);
    console.info(
      `pressure: ${records.length} requests, sending ${sendingMs.toFixed(1)} ms, ${held.length} samples, ` +
        `min ${Math.min(...held)} max ${Math.max(...held)} in flight`,
    );
    expect(records.length).toBeGreaterThan(p.units.length); // recycled
    expect(records.every((r) => r.ok)).toBe(true);
    expect(held.length).toBeGreaterThan(60);
    expect(held.every((n) => n === CAP)).toBe(true);
    expect(Math.abs(sendingMs - 5000)).toBeLessThan(300);
    expect(runner.inflight).toBe(0); // drained

    const result = acc.finalize({
      key: p.key,
      abbr: p.abbr,
      dataset: p.dataset,
      model: 'sim-model',
      stats: ['Average', 'P99'],
      interrupted: false,
    });
    const w = window464(records, CAP);
    expect(w.endMs).toBeGreaterThan(w.startMs);
    const stableN = records.filter((r) => r.t0 >= w.startMs && r.t0 <= w.endMs).length;
    const common = (stage: string, name: string) =>
      result.common.find((c) => c.stage === stage && c.name === name)?.value;
    expect(result.perf.rows.some((r) => r.stage === 'stable' && r.metric === 'TTFT')).toBe(true);
    expect(common('stable', 'Total Requests')).toBe(stableN);
    expect(common('total', 'Total Requests')).toBe(records.length);
    // The first CAP sends build the concurrency up: none of them is in the stable stage.
    for (const t of t0s.slice(0, CAP)) expect(t).toBeLessThan(w.startMs);
    expect(stableN).toBeLessThan(records.length - CAP + 1);
  }, 40_000);
});

describe('--pressure --pressure-time 5 through the CLI', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'aisb-pressure-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds batch_size 32 for 5 s and writes stable rows that leave out the ramp-up', async () => {
    const bin = fileURLToPath(new URL('../../bin/aisbench-tui.mjs', import.meta.url));
    const args = [
      '--models',
      'sim_stream_chat',
      '--datasets',
      'synthetic_gen_demo',
      '--pressure',
      '--pressure-time',
      '5',
    ];
    args.push('--max-concurrency', String(CAP), '--no-tui', '-w', work);
    await promisify(execFile)(process.execPath, [bin, ...args], { timeout: 30_000 });
    const [run] = readdirSync(work);
    const dir = path.join(work, run!, 'performances', 'sim-stream-chat');
    const records = readFileSync(path.join(dir, 'synthetic-demo_details.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(decodeLine)
      .filter((r) => !r.warmup);
    const t0s = records.map((r) => r.t0).sort((a, b) => a - b);
    const sendingMs = t0s[t0s.length - 1]! - t0s[0]!;
    // In flight from the records, sampled every 50 ms after the ramp. A record's
    // t0 is when its bytes were written, which for a reused keep-alive socket is
    // one event-loop turn after the slot changed hands; when several requests
    // end together a sample can catch a few slots in that turn. The engine-level
    // test above samples the slots themselves and requires exactly 32.
    const inflight = (t: number) => records.filter((r) => r.t0 <= t && t < r.end).length;
    const samples: number[] = [];
    for (let t = 200; t <= 4800; t += 50) samples.push(inflight(t));
    const atCap = samples.filter((n) => n === CAP).length;
    console.info(
      `CLI pressure: ${records.length} requests, sending ${sendingMs.toFixed(1)} ms, ` +
        `${atCap}/${samples.length} samples at ${CAP}, min ${Math.min(...samples)}`,
    );
    expect(Math.abs(sendingMs - 5000)).toBeLessThan(300);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(CAP - 4);
    expect(Math.max(...samples)).toBe(CAP);
    expect(atCap / samples.length).toBeGreaterThan(0.85);
    const json = JSON.parse(readFileSync(path.join(dir, 'synthetic-demo.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const w = window464(records, CAP);
    const stableN = records.filter((r) => r.t0 >= w.startMs && r.t0 <= w.endMs).length;
    expect(json['Total Requests']).toEqual({ total: String(records.length), stable: String(stableN) });
    for (const t of t0s.slice(0, CAP)) expect(t).toBeLessThan(w.startMs);
    const csv = readFileSync(path.join(dir, 'synthetic-demo.csv'), 'utf8');
    expect(csv).toMatch(/^TTFT,stable,/m);
  }, 40_000);
});
