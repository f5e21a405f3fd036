/** The plot page's third chart (the server's own metrics) in headless Chromium: drawn, and its time axis linked. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlotHtml } from '../src/report/index.js';
import { craftRecords } from '../bench/craft.mjs';

declare const window: any;
const OUT = path.resolve('test-output/report-server-chart');
let browser: Browser;
beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 30_000,
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('plot page with server metrics', () => {
  it('draws a third chart linked to the others', async () => {
    const server = Array.from({ length: 6 }, (_, i) =>
      i === 3 ? { t: i, missing: true } : { t: i, running: 8, waiting: i, kv_pct: 10 * i },
    );
    const file = path.join(OUT, 'plot.html');
    writeFileSync(
      file,
      buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records: craftRecords(100, { rate: 20 }), server }),
    );
    const page = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => window.__report?.ready === true, null, { timeout: 15_000 });
    expect(errors).toEqual([]);
    // Zoom the concurrency chart: the server chart follows (linked x).
    await page.evaluate(() => window.__report.bottom.setScale('x', { min: 1, max: 2 }));
    await page.waitForFunction(() => window.__report.server.scales.x.min === 1, null, { timeout: 5_000 });
    const x = await page.evaluate(() => [window.__report.server.scales.x.max, window.__report.server.data[1].length]);
    // Points at t = 0..5 s, the one at 3 s a failed scrape (null).
    expect(x).toEqual([2, 6]);
    // And the other way: zooming the server chart moves the request timeline.
    await page.evaluate(() => window.__report.server.setScale('x', { min: 2, max: 4 }));
    await page.waitForFunction(() => window.__report.top.scales.x.min === 2, null, { timeout: 5_000 });
    await page.close();
  }, 60_000);
});
