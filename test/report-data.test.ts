import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AGGREGATE_ABOVE,
  buildPlotHtml,
  buildRpsHtml,
  concurrencySteps,
  escapeHtml,
  preparePlotData,
  prepareRpsData,
  scriptJson,
  writeReports,
  writeReportsFromDetails,
  type ReportRecord,
} from '../src/report/index.js';
import { craftRecords } from '../bench/craft.mjs';
import type { RequestRecord } from '../src/engine/types.js';
import { encodeRecord } from '../src/engine/details-codec.js';
import { MERGE_CLIENT_JS } from '../src/report/merge-client.js';
import { niceBin } from '../src/report/rps-data.js';
import { rampRate } from '../src/core/ramp.js';

const EVIL = '<img src=x onerror=alert(1)>';

/** In flight at time t by brute force: requests with start <= t < end. */
function inflightAt(starts: number[], ends: number[], t: number): number {
  let c = 0;
  for (let i = 0; i < starts.length; i++) if (starts[i]! <= t && t < Math.max(starts[i]!, ends[i]!)) c++;
  return c;
}

describe('concurrencySteps', () => {
  it('matches a brute-force count at every change point and between them', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const starts = Array.from({ length: 300 }, () => Math.round(rnd() * 1000));
    const ends = starts.map((s) => s + Math.round(rnd() * 200));
    const { t, v } = concurrencySteps(starts, ends);
    for (let i = 0; i < t.length; i++) {
      expect(v[i]).toBe(inflightAt(starts, ends, t[i]!));
      if (i + 1 < t.length) expect(inflightAt(starts, ends, (t[i]! + t[i + 1]!) / 2)).toBe(v[i]);
      if (i > 0) expect(v[i]).not.toBe(v[i - 1]);
    }
    expect(v[v.length - 1]).toBe(0);
    expect(t).toEqual([...t].sort((a, b) => a - b));
  });

  it('nets an end and a start at the same instant, and starts from zero', () => {
    expect(concurrencySteps([10, 20], [20, 30])).toEqual({ t: [0, 10, 30], v: [0, 1, 0] });
    expect(concurrencySteps([0, 0, 5], [5, 8, 8])).toEqual({ t: [0, 8], v: [2, 0] });
    expect(concurrencySteps([], [])).toEqual({ t: [], v: [] });
    expect(concurrencySteps([NaN, 1, 2], [5, NaN, 4])).toEqual({ t: [0, 2, 4], v: [0, 1, 0] });
  });
});

describe('preparePlotData', () => {
  it('drops warmups, sorts by send time and keeps failures with their code', () => {
    const recs: ReportRecord[] = [
      { id: 2, ok: true, sched: -1, t0: 30, ttft: 5, e2el: 50, end: 81 },
      { id: 9, ok: true, warmup: true, sched: -1, t0: 0, ttft: 5, e2el: 10, end: 10 },
      { id: 1, ok: false, code: 'E_HTTP_500', message: 'boom', sched: -1, t0: 10, ttft: NaN, e2el: NaN, end: 40 },
    ];
    const d = preparePlotData(recs);
    expect(d.requests).toBe(2);
    expect(d.failed).toBe(1);
    expect(d.exact).toMatchObject({
      t0: [10, 30],
      ttft: [-1, 5],
      dur: [30, 50],
      ok: [0, 1],
      id: [1, 2],
      fail: { 0: 'E_HTTP_500: boom' },
    });
    expect(d.concurrency).toEqual({ t: [0, 10, 30, 40, 81], v: [0, 1, 2, 1, 0] });
    expect(d.span).toEqual([10, 81]);
  });

  it('keeps every request up to fullDataMax, aggregates above it, and the concurrency stays exact', () => {
    const full = preparePlotData(craftRecords(AGGREGATE_ABOVE + 1, { rate: 500 }));
    expect(full.exact?.t0.length).toBe(AGGREGATE_ABOVE + 1);
    expect(full.mergeAbove).toBe(AGGREGATE_ABOVE);
    expect(full.aggregated).toBeUndefined();
    const recs = craftRecords(1001, { rate: 500 });
    const agg = preparePlotData(recs, { fullDataMax: 1000, aggregateRows: 100 });
    expect(agg.exact).toBeUndefined();
    const a = agg.aggregated!;
    expect(a.size).toBe(11);
    expect(a.start.length).toBe(Math.ceil(1001 / 11));
    expect(a.nOk.reduce((x, y) => x + y, 0) + a.nFail.reduce((x, y) => x + y, 0)).toBe(1001);
    a.start.forEach((s, i) => {
      if (s >= 0) expect(s <= a.split[i]! && a.split[i]! <= a.end[i]!).toBe(true);
    });
    const m = recs.filter((r) => !r.warmup);
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const ref = concurrencySteps(
      m.map((r) => r1(r.t0)),
      m.map((r) => r1(Math.max(r.end, r.t0 + (r.ok ? r.e2el : r.end - r.t0)))),
    );
    expect(agg.concurrency).toEqual(ref);
  });
});

describe('mergeRows (browser code, run in Node)', () => {
  const mergeRows = new Function(`${MERGE_CLIENT_JS}; return mergeRows;`)() as (
    ex: { t0: number[]; ttft: number[]; dur: number[]; ok: number[] },
    lo: number,
    hi: number,
    pxOf: (r: number) => number,
    nPx: number,
  ) => {
    n: Uint32Array;
    start: Float64Array;
    split: Float64Array;
    end: Float64Array;
    nFail: Uint32Array;
    fStart: Float64Array;
    fEnd: Float64Array;
  };

  it('merges the successes of each pixel row: earliest send, latest end, TTFT share', () => {
    const ex = { t0: [0, 10, 20, 30, 40], ttft: [10, 30, -1, 5, 5], dur: [100, 50, 60, 10, 10], ok: [1, 1, 0, 1, 1] };
    const m = mergeRows(ex, 0, 4, (r) => (r < 3 ? 0 : r === 3 ? 1 : 5), 2);
    expect(Array.from(m.n)).toEqual([2, 1]);
    expect(Array.from(m.start)).toEqual([0, 30]);
    expect(Array.from(m.end)).toEqual([100, 40]);
    expect(m.split[0]).toBeCloseTo(0 + (40 / 150) * 100);
    expect(m.split[1]).toBeCloseTo(35);
    expect(Array.from(m.nFail)).toEqual([1, 0]);
    expect([m.fStart[0], m.fEnd[0]]).toEqual([20, 80]);
  });
});

describe('odd input', () => {
  it('builds pages for no requests, all failures and missing times', () => {
    const odd: ReportRecord[] = [
      { ok: true, sched: 0, t0: 5, ttft: NaN, e2el: NaN, end: NaN },
      { ok: false, sched: 0, t0: 6, ttft: NaN, e2el: NaN, end: 9 },
      { ok: true, sched: 0, t0: NaN, ttft: 1, e2el: 2, end: 3 },
    ];
    const d = preparePlotData(odd);
    expect(d.requests).toBe(2);
    expect(d.exact?.dur).toEqual([0, 3]);
    for (const records of [[], odd]) {
      expect(buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records })).toContain('__report');
      expect(buildRpsHtml({ abbr: 'a', dataset: 'd', model: 'm', records })).toContain('__report');
    }
  });
});

describe('escaping', () => {
  it('escapes HTML and keeps script JSON free of "<"', () => {
    expect(escapeHtml(EVIL)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a&"'`)).toBe('a&amp;&quot;&#39;');
    const j = scriptJson({ m: '</script><script>alert(1)</script>\u2028' });
    expect(j).not.toMatch(/[<\u2028]/);
    expect(JSON.parse(j)).toEqual({ m: '</script><script>alert(1)</script>\u2028' });
  });

  it('never puts outside text raw into the pages, and loads nothing from the network', () => {
    const recs = craftRecords(50, { rate: 20 }).map((r) => (r.ok ? r : { ...r, message: `</script>${EVIL}` }));
    for (const html of [
      buildPlotHtml({ abbr: `a${EVIL}`, dataset: `d${EVIL}`, model: EVIL, records: recs }),
      buildRpsHtml({
        abbr: `a${EVIL}`,
        dataset: `d${EVIL}`,
        model: EVIL,
        records: recs,
        rampUp: { strategy: 'linear', startRps: 1, endRps: 9 },
      }),
    ]) {
      expect(html).not.toContain('<img');
      expect(html.match(/<\/script>/gi)?.length).toBe(3);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    }
  });
});

describe('prepareRpsData', () => {
  it('bins planned and actual sends, gaps and delays', () => {
    const recs = craftRecords(400, { rate: 50, failEvery: 0 });
    const d = prepareRpsData(recs, { model: 'm', requestRate: 50 });
    expect(d.requests).toBe(400);
    const count = (rates: number[]) => Math.round((rates.reduce((x, y) => x + y, 0) * d.binMs) / 1000);
    expect(count(d.planned)).toBe(400);
    expect(count(d.actual)).toBe(400);
    expect(d.gapPlanned.reduce((x, y) => x + y, 0) + d.gapOverflow[0]).toBe(399);
    expect(d.gapActual.reduce((x, y) => x + y, 0) + d.gapOverflow[1]).toBe(399);
    expect(d.delay.mean).toBeGreaterThan(0);
    expect(d.delay.p99).toBeGreaterThanOrEqual(d.delay.p50);
    expect(d.configured).toEqual({ t: [0, d.configured.t[1]], rps: [50, 50] });
  });

  it('ramps by request index and picks 1-2-5 bins', () => {
    // Request i of n is at progress i / (n - 1): request 2 of 5 is halfway, 2 + (10 - 2) / 2 = 6, 1 * 16^0.5 = 4.
    expect(rampRate({ strategy: 'linear', startRps: 2, endRps: 10 }, 0)).toBe(2);
    expect(rampRate({ strategy: 'linear', startRps: 2, endRps: 10 }, 2 / 4)).toBe(6);
    expect(rampRate({ strategy: 'exponential', startRps: 1, endRps: 16 }, 2 / 4)).toBeCloseTo(4);
    expect(niceBin(10_000, 100)).toBe(100);
    expect(niceBin(13_000, 100)).toBe(200);
    expect(niceBin(40_000, 100)).toBe(500);
  });
});

describe('writeReports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the arrival chart only when requests were scheduled', async () => {
    const a = await writeReports(dir, 'm1', 'burst', craftRecords(20, { rate: 0 }), { model: 'x' });
    expect(a.map((f) => path.basename(f))).toEqual(['burst_plot.html']);
    const b = await writeReports(dir, 'm1', 'paced', craftRecords(20, { rate: 10 }), { model: 'x' });
    expect(b.map((f) => path.basename(f))).toEqual(['paced_plot.html', 'paced_rps_distribution_plot.html']);
  });

  it('reads a details JSONL back through the output reader (the one production path)', async () => {
    const recs: RequestRecord[] = [
      {
        id: 0,
        turn: 0,
        warmup: true,
        ok: true,
        attempts: 1,
        sched: 0,
        t0: 0,
        ttft: 1,
        e2el: 2,
        end: 2,
        gapsUs: new Uint32Array([1000]),
        chunkTokens: null,
        kinds: null,
        first: 1,
        inTok: 1,
        outTok: 2,
        usage: true,
      },
      {
        id: 1,
        turn: 0,
        ok: true,
        attempts: 1,
        sched: 0,
        t0: 1,
        ttft: 3,
        e2el: 9,
        end: 10,
        gapsUs: new Uint32Array([3000, 3000]),
        chunkTokens: null,
        kinds: null,
        first: 3,
        inTok: 1,
        outTok: 3,
        usage: true,
      },
      {
        id: 2,
        turn: 0,
        ok: false,
        code: 'E_TIMEOUT',
        message: 'timed out',
        attempts: 3,
        sched: 5,
        t0: 6,
        ttft: NaN,
        e2el: NaN,
        end: 20,
        gapsUs: new Uint32Array(0),
        chunkTokens: null,
        kinds: null,
        first: NaN,
        inTok: 1,
        outTok: 0,
        usage: false,
      },
    ];
    const lines = recs.map(encodeRecord);
    const file = path.join(dir, 'details.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const out = await writeReportsFromDetails(dir, 'm2', 'ds', file, { model: 'x' });
    expect(out).toHaveLength(2);
    // What the production reader delivered, as the page carries it: the warmup
    // (id 0) dropped, the failure with its code and message, times as written.
    const page = readFileSync(path.join(dir, 'performances', 'm2', 'ds_plot.html'), 'utf8');
    const data = JSON.parse(/id="report-data">(.*?)<\/script>/s.exec(page)![1]!) as Record<string, unknown>;
    expect(data).toMatchObject({ requests: 2, failed: 1, span: [1, 20] });
    expect(data.exact).toMatchObject({ t0: [1, 6], id: [1, 2], ok: [1, 0], fail: { 1: 'E_TIMEOUT: timed out' } });
    expect(readdirSync(path.join(dir, 'performances', 'm2')).sort()).toEqual([
      'ds_plot.html',
      'ds_rps_distribution_plot.html',
    ]);
    const viaPath = await writeReports(dir, 'm3', 'ds', file, { model: 'x' });
    expect(viaPath).toHaveLength(2);
  });
});
