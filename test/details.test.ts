import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../src/engine/types.js';
import { TaskAccumulator } from '../src/metrics/accumulator.js';
import { DEFAULT_STATS } from '../src/metrics/stats.js';
import { decodeLine, encodeRecord } from '../src/engine/details-codec.js';
import { DetailsFormatError, readDetails } from '../src/output/details-reader.js';
import { recomputeFromDetails } from '../src/output/details-recompute.js';
import { rec } from './metrics-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'details-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ms3 = (x: number): number => Math.round(x * 1000) / 1000;

function randomRecord(rand: () => number, id: number, maxGap = 4294967295): RequestRecord {
  const ok = rand() > 0.1;
  const n = ok ? Math.floor(rand() * 300) + 1 : rand() > 0.5 ? Math.floor(rand() * 5) + 1 : 0;
  const gaps = new Uint32Array(Math.max(0, n - 1));
  let g = Math.floor(rand() * 30000);
  for (let i = 0; i < gaps.length; i++) {
    const x = rand();
    g = x < 0.01 ? Math.floor(rand() * maxGap) : x < 0.05 ? 0 : Math.max(0, g + Math.floor((rand() - 0.5) * 4000));
    gaps[i] = g;
  }
  const k = n > 0 && rand() < 0.3 ? Uint32Array.from({ length: n }, () => 1 + Math.floor(rand() * 3)) : null;
  // Some records carry event kinds (role-only, empty, usage, reasoning, tool-call events).
  const kinds =
    n > 0 && rand() < 0.3
      ? Uint8Array.from({ length: n }, () => [0, 0, 1, 2, 3, 4, 5, 6, 8, 12][Math.floor(rand() * 10)]!)
      : null;
  if (k && kinds) for (let i = 0; i < n; i++) if (![0, 1, 2, 8].includes(kinds[i]!)) k[i] = 0;
  const t0 = ms3(rand() * 1e6);
  const ttft = n > 0 ? ms3(rand() * 5000) : NaN;
  const r: RequestRecord = {
    id,
    turn: Math.floor(rand() * 3),
    ok,
    attempts: 1 + Math.floor(rand() * 3),
    sched: rand() < 0.5 ? -1 : ms3(t0 - rand() * 10),
    t0,
    ttft,
    e2el: n > 0 ? ms3(ttft + rand() * 1e5) : NaN,
    end: ms3(t0 + rand() * 2e5),
    gapsUs: gaps,
    kinds,
    first: kinds ? ms3(rand() * 5000) : ttft,
    chunkTokens: k && k.some((x, i) => x !== (kinds === null || [0, 1, 2, 8].includes(kinds[i]!) ? 1 : 0)) ? k : null,
    inTok: Math.floor(rand() * 8192),
    outTok: Math.floor(rand() * 4096),
    usage: rand() < 0.5,
  };
  if (!ok) {
    r.code = rand() < 0.5 ? 'E_HTTP_503' : 'E_STREAM_RESET';
    r.message = 'upstream said "no" \n {"gaps":"AAAA"} ✓';
  }
  if (rand() < 0.1) r.warmup = true;
  if (ok && rand() < 0.2) r.noDone = true;
  if (rand() < 0.1) r.reasoningTokens = Math.floor(rand() * 100);
  return r;
}

describe('details codec', () => {
  it('round-trips random records (one JSON line each, gaps last)', () => {
    const rand = rng(42);
    for (let i = 0; i < 300; i++) {
      const r = randomRecord(rand, i);
      const line = encodeRecord(r);
      expect(line.includes('\n')).toBe(false);
      expect(line.endsWith('"}')).toBe(true);
      expect(decodeLine(line)).toEqual(r);
    }
  });

  it('rejects malformed lines with a one-line reason', () => {
    expect(() => decodeLine('{"id":1')).toThrow(/not a JSON object/);
    const good = encodeRecord(rec({ t0: 1, gaps: [10, 20] }));
    expect(() => decodeLine(good.replace('"n":3', '"n":4'))).toThrow(/n says/);
    expect(() => decodeLine(good.replace('"ok":true', '"ok":"yes"'))).toThrow(/'ok'/);
  });

  it('stays within budget: ~2 varint bytes a jittered gap', () => {
    const gaps = Uint32Array.from({ length: 4095 }, (_, i) => 20000 + ((i * 7919) % 2001) - 1000);
    const line = encodeRecord(rec({ t0: 1, gaps: [...gaps], outTok: 4096, inTok: 4096 }));
    expect(line.length / 4095).toBeLessThan(3);
  });
});

describe('readDetails', () => {
  const rand = rng(7);
  const records = Array.from({ length: 400 }, (_, i) => randomRecord(rand, i));
  const text = records.map(encodeRecord).join('\n') + '\n';
  const file = join(dir, 'a_details.jsonl');
  writeFileSync(file, text);

  it('streams every record in order through a small buffer', async () => {
    const got: RequestRecord[] = [];
    const res = await readDetails(file, (r) => got.push({ ...r, gapsUs: r.gapsUs.slice() }), { chunkBytes: 4096 });
    expect(res.records).toBe(400);
    expect(got).toEqual(records);
    // Memory does not grow with the file: the buffer only grows to hold the longest line.
    const longest = Math.max(...text.split('\n').map((l) => l.length));
    expect(res.maxBufferBytes).toBeLessThanOrEqual(Math.max(4096, 2 * longest) * 2);
    expect(res.maxBufferBytes).toBeLessThan(text.length / 4);
  });

  it('skips a partial last line with a warning', async () => {
    const f = join(dir, 'partial.jsonl');
    const last = encodeRecord(records[1]!);
    writeFileSync(f, encodeRecord(records[0]!) + '\n' + last.slice(0, last.length - 9));
    const res = await readDetails(f, () => {});
    expect(res).toMatchObject({ records: 1, skipped: 1 });
    expect(res.warnings[0]).toMatch(/:2: incomplete last line skipped/);
  });

  it('names the line of a malformed middle line', async () => {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, [encodeRecord(records[0]!), '{"id":', encodeRecord(records[1]!)].join('\n') + '\n');
    const err = await readDetails(f, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DetailsFormatError);
    expect((err as Error).message).toBe(`${f}:2: malformed details line: not a JSON object`);
  });
});

describe('recomputeFromDetails', () => {
  const opts = { maxConcurrency: 2, stats: [...DEFAULT_STATS], key: 'm/d', abbr: 'm', dataset: 'd', model: 'x' };
  // Stable-stage fixture at max concurrency 2: R0, R1 ramp up (max first reached at t = 10),
  // R2..R5 hold it (t2 = 100, the last moment at 2 is t4 = 260), R6 drains.
  const crafted = [
    rec({ t0: 0, ttft: 10, gaps: [90000], end: 100 }),
    rec({ t0: 10, ttft: 10, gaps: [90000], end: 110 }),
    rec({ t0: 100, ttft: 20, gaps: [40000, 40000], end: 200 }),
    rec({ t0: 110, ttft: 20, gaps: [40000, 40000], end: 210 }),
    rec({ t0: 200, ttft: 20, gaps: [40000, 40000], end: 300 }),
    rec({ t0: 210, ttft: 20, gaps: [15000, 15000], end: 260 }),
    rec({ t0: 300, ttft: 30, gaps: [70000], end: 400 }),
  ];
  const file = join(dir, 'stable_details.jsonl');
  writeFileSync(file, crafted.map(encodeRecord).join('\n') + '\n');

  it('stable stage: requests sent in [t2, t4], ramp-up and drain excluded', async () => {
    // The earlier (per-token) window; aisbench's #464 window has its own tests (dialects.test.ts).
    const live = new TaskAccumulator({ maxConcurrency: 2, stable: true, dialect: 'per-token' });
    crafted.forEach((r) => live.add(r));
    const a = live.finalize({ ...opts, interrupted: false });
    const b = await recomputeFromDetails(file, { ...opts, stable: true, dialect: 'per-token' });
    for (const r of [a, b]) {
      const e2el = r.perf.rows.find((x) => x.metric === 'E2EL' && x.stage === 'stable')!;
      expect(e2el.n).toBe(4);
      expect(e2el.values[1]).toBe(50); // Min: R5
      const itl = r.perf.rows.find((x) => x.metric === 'ITL' && x.stage === 'stable')!;
      expect(itl.n).toBe(4);
      expect(itl.values.slice(0, 3)).toEqual([33.75, 15, 40]); // (6 × 40 + 2 × 15) / 8
      expect(r.perf.rows.find((x) => x.metric === 'ITL' && x.stage === 'total')!.values[2]).toBe(90);
      const dur = r.common.find((c) => c.name === 'Benchmark Duration' && c.stage === 'stable')!;
      expect(dur.value).toBe(160);
      expect(r.common.find((c) => c.name === 'Total Requests' && c.stage === 'stable')!.value).toBe(4);
    }
    expect(b.perf).toEqual(a.perf);
    expect(b.common).toEqual(a.common);
  });

  it('no stable rows when max concurrency is never reached', async () => {
    const r = await recomputeFromDetails(file, { ...opts, maxConcurrency: 3, stable: true });
    expect(r.perf.rows.some((x) => x.stage === 'stable')).toBe(false);
  });

  it('worker_threads split gives the same result as one thread', async () => {
    const worker = new URL('../dist/output/details-worker.js', import.meta.url);
    expect(existsSync(worker), 'run `npx tsc -p .` first').toBe(true);
    const rand = rng(99);
    const many = Array.from({ length: 600 }, (_, i) => randomRecord(rand, i, 5_000_000));
    const f = join(dir, 'many_details.jsonl');
    writeFileSync(f, many.map(encodeRecord).join('\n') + '\n');
    const one = await recomputeFromDetails(f, { ...opts, workers: 1, slo: { ttftMs: 2500 } });
    const two = await recomputeFromDetails(f, { ...opts, workers: 2, slo: { ttftMs: 2500 } });
    expect(two.perf).toEqual(one.perf);
    expect(two.common).toEqual(one.common);
    expect(two.failures).toEqual(one.failures);
    expect(two.series.outputTokPerSec).toEqual(one.series.outputTokPerSec);
    const live = new TaskAccumulator({ maxConcurrency: 2, slo: { ttftMs: 2500 } });
    many.forEach((r) => live.add(r));
    expect(live.finalize({ ...opts, interrupted: false }).perf).toEqual(one.perf);
  });
});
