/**
 * The HTML reports in a real browser: headless Chromium (Debian's package)
 * driven by playwright-core. Screenshots land in test-output/ (gitignored).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlotHtml, buildRpsHtml, preparePlotData, writeReports } from '../src/report/index.js';
import { craftRecords } from '../bench/craft.mjs';

// The page.evaluate/waitForFunction callbacks below run in Chromium, where window exists.
declare const window: any;

const execFileP = promisify(execFile);
const OUT = path.resolve('test-output/report-browser');
const EVIL = '<img src=x onerror=alert(1)>';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;
let files: string[];
const records = craftRecords(200, { rate: 40 });

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  files = await writeReports(OUT, 'vllm-api-stream-chat', 'demo_gsm8k', records, {
    model: EVIL,
    title: `vllm-api-stream-chat/demo_gsm8k ${EVIL}`,
    requestRate: 40,
    burstiness: 1,
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as any).__report?.ready === true, null, { timeout: 15_000 });
  return { page, errors, dialogs };
}

async function xRange(page: Page, chart: string): Promise<[number, number]> {
  return page.evaluate((c) => {
    const s = (window as any).__report[c].scales.x;
    return [s.min, s.max];
  }, chart);
}

describe('report pages in Chromium', () => {
  it('writes both files', () => {
    expect(files.map((f) => path.basename(f))).toEqual([
      'demo_gsm8k_plot.html',
      'demo_gsm8k_rps_distribution_plot.html',
    ]);
  });

  it('plot: draws every request and the exact concurrency, links zoom, escapes the model name', async () => {
    const { page, errors, dialogs } = await open(files[0]!);
    const expected = preparePlotData(records);
    const rep = await page.evaluate(() => {
      const r = (window as any).__report;
      return { requests: r.requests, rows: r.rows, drawn: r.drawnRows, points: r.concurrencyPoints, agg: r.aggregated };
    });
    expect(rep).toEqual({ requests: 200, rows: 200, drawn: 200, points: expected.concurrency.t.length, agg: false });
    expect(await page.textContent('#model-name')).toBe(EVIL);
    expect(await page.title()).toContain(EVIL);
    expect(await page.locator('img').count()).toBe(0);

    // Drag-select on the top chart zooms the bottom one too.
    const before = await xRange(page, 'bottom');
    const over = page.locator('#chart-requests .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const top = await xRange(page, 'top');
    const bottom = await xRange(page, 'bottom');
    expect(bottom).toEqual(top);
    expect(bottom[1] - bottom[0]).toBeLessThan((before[1] - before[0]) * 0.5);

    // Hovering a request describes it.
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await expect.poll(() => page.textContent('#req-info')).toMatch(/Request #\d+.*(TTFT .* decode .* E2EL|FAILED)/);

    await page.click('#btn-reset');
    expect(await xRange(page, 'bottom')).toEqual(before);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#btn-png')]);
    expect(download.suggestedFilename()).toBe('demo_gsm8k_plot.png');
    await download.saveAs(path.join(OUT, 'saved-plot.png'));

    await page.screenshot({ path: path.join(OUT, 'plot.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('arrival chart: planned vs actual, linked time charts, escaped text', async () => {
    const { page, errors, dialogs } = await open(files[1]!);
    const rep = await page.evaluate(() => {
      const r = (window as any).__report;
      return { requests: r.requests, bins: r.bins, gapBins: r.gapBins };
    });
    expect(rep.requests).toBe(200);
    expect(rep.bins).toBeGreaterThan(10);
    expect(rep.gapBins).toBeGreaterThan(5);
    expect(await page.textContent('#model-name')).toBe(EVIL);
    expect(await page.locator('img').count()).toBe(0);
    await page.evaluate(() => (window as any).__report.rate.setScale('x', { min: 1, max: 2 }));
    expect(await xRange(page, 'delay')).toEqual([1, 2]);
    await page.click('#btn-reset');
    await page.screenshot({ path: path.join(OUT, 'rps.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('plot: a large run is drawn merged per pixel row, says so, and shows single requests once zoomed in', async () => {
    const big = craftRecords(30_000, { rate: 400 });
    const [file] = await writeReports(path.join(OUT, 'big'), 'm', 'big', big, { model: 'm' });
    const { page, errors } = await open(file!);
    const state = () =>
      page.evaluate(() => {
        const r = (window as any).__report;
        return { mode: r.mode, drawn: r.drawnRows, y: [r.top.scales.y.min, r.top.scales.y.max] };
      });
    const rep = await page.evaluate(() => {
      const r = (window as any).__report;
      return { requests: r.requests, rows: r.rows, points: r.concurrencyPoints };
    });
    expect(rep).toEqual({ requests: 30_000, rows: 30_000, points: preparePlotData(big).concurrency.t.length });
    expect(await state()).toMatchObject({ mode: 'merged', drawn: 30_000 });
    expect(await page.isVisible('#agg-note')).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'plot-merged.png'), fullPage: true });

    // Zoom into 500 rows: single requests again; a later time zoom keeps the rows.
    await page.evaluate(() => (window as any).__report.top.setScale('y', { min: 9999.5, max: 10499.5 }));
    await page.evaluate(() => (window as any).__report.top.setScale('x', { min: 20, max: 35 }));
    const s = await state();
    expect(s.mode).toBe('exact');
    expect(s.y).toEqual([9999.5, 10499.5]);
    expect(s.drawn).toBeGreaterThan(300);
    expect(s.drawn).toBeLessThanOrEqual(500);
    const box = (await page.locator('#chart-requests .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.textContent('#req-info')).toMatch(/Request #10\d{3}/);
    await page.screenshot({ path: path.join(OUT, 'plot-zoomed.png'), fullPage: true });
    await page.click('#btn-reset');
    expect(await state()).toMatchObject({ mode: 'merged', y: [-0.5, 29_999.5] });

    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('plot: above fullDataMax the page carries fixed aggregated rows', async () => {
    const recs = craftRecords(12_000, { rate: 400 });
    const file = path.join(OUT, 'agg_plot.html');
    writeFileSync(file, buildPlotHtml({ abbr: 'm', dataset: 'agg', model: 'm', records: recs, fullDataMax: 10_000 }));
    const { page, errors } = await open(file);
    const rep = await page.evaluate(() => {
      const r = (window as any).__report;
      return { requests: r.requests, rows: r.rows, mode: r.mode };
    });
    expect(rep).toEqual({ requests: 12_000, rows: 2_000, mode: 'aggregated' });
    expect(await page.isVisible('#agg-note')).toBe(true);
    const box = (await page.locator('#chart-requests .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.textContent('#req-info')).toMatch(/Requests #\d+-#\d+ \(\d+ ok/);
    await page.screenshot({ path: path.join(OUT, 'plot-aggregated.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the pages of a real demo run (CLI against the embedded simulator)', async () => {
    const work = path.join(OUT, 'demo');
    const bin = path.resolve('bin/aisbench-tui.mjs');
    await execFileP(process.execPath, [bin, '--demo', '--no-tui', '--ramp-up', 'linear:20:150', '-w', work], {
      timeout: 90_000,
    });
    const perf = path.join(work, readdirSync(work)[0]!, 'performances');
    const dir = path.join(perf, readdirSync(perf)[0]!);
    const names = readdirSync(dir);
    const details = names.find((n) => n.endsWith('_details.jsonl'))!;
    const measured = readFileSync(path.join(dir, details), 'utf8')
      .split('\n')
      .filter((l) => l && !/"warm":1/.test(l)).length;
    for (const suffix of ['_plot.html', '_rps_distribution_plot.html']) {
      const file = names.find(
        (n) => n.endsWith(suffix) && !(suffix === '_plot.html' && n.endsWith('_rps_distribution_plot.html')),
      );
      expect(file, suffix).toBeDefined();
      const { page, errors } = await open(path.join(dir, file!));
      expect(await page.evaluate(() => (window as any).__report.requests)).toBe(measured);
      await page.screenshot({ path: path.join(OUT, `demo${suffix.replace('.html', '.png')}`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('pages of an empty and of an odd run open without errors', async () => {
    const odd = [
      { ok: true, sched: 0, t0: 5, ttft: NaN, e2el: NaN, end: NaN },
      { ok: false, sched: 0, t0: 6, ttft: NaN, e2el: NaN, end: 9 },
    ];
    for (const [name, html] of [
      ['empty_plot.html', buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records: [] })],
      ['odd_plot.html', buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records: odd })],
      ['odd_rps.html', buildRpsHtml({ abbr: 'a', dataset: 'd', model: 'm', records: odd })],
    ] as const) {
      const file = path.join(OUT, name);
      writeFileSync(file, html);
      const { page, errors } = await open(file);
      expect(errors, name).toEqual([]);
      await page.close();
    }
  }, 60_000);
});
