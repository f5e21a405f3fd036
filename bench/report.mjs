#!/usr/bin/env node
/**
 * HTML report at scale: a crafted 100,000-request details file goes through
 * writeReportsFromDetails (the `--mode perf_viz --reuse` path), then headless
 * Chromium loads the `_plot.html` until both charts are drawn.
 * Floors: html < 20 MB, load < 5 s. Needs `npx tsc -p .` (reads dist/).
 * Last line: `report: requests=100000 html_mb=X load_s=Y`.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { craftRecords } from './craft.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { writeReportsFromDetails } = await import(path.join(root, 'dist/report/index.js'));
const { encodeRecord } = await import(path.join(root, 'dist/engine/details-codec.js'));

const N = Number(process.env.REPORT_BENCH_N ?? 100_000);
const out = path.join(root, 'bench/out/report');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Details file: crafted timings, 64 chunks per success (gaps matter only for size).
const lines = craftRecords(N, { rate: 400 }).map((r) => {
  const n = r.ok ? 64 : 0;
  const gap = r.ok ? Math.round(((r.e2el - r.ttft) * 1000) / (n - 1)) : 0;
  return encodeRecord({
    turn: 0,
    attempts: 1,
    code: undefined,
    message: undefined,
    ...r,
    id: r.id ?? 0,
    gapsUs: new Uint32Array(Math.max(0, n - 1)).fill(gap),
    chunkTokens: null,
    inTok: 128,
    outTok: n,
    usage: true,
  });
});
const details = path.join(out, 'bench_details.jsonl');
writeFileSync(details, lines.join('\n') + '\n');
console.log(`details: ${N} requests, ${(statSync(details).size / 2 ** 20).toFixed(1)} MB`);

let t = performance.now();
const files = await writeReportsFromDetails(out, 'bench-model', 'bench', details, {
  model: 'bench <model>',
  requestRate: 400,
  burstiness: 1,
});
const buildS = (performance.now() - t) / 1000;
const sizes = files.map((f) => statSync(f).size / 2 ** 20);
console.log(
  `build: ${buildS.toFixed(2)} s (read details + both pages), ${files.map((f, i) => `${path.basename(f)} ${sizes[i].toFixed(2)} MB`).join(', ')}`,
);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const loads = [];
try {
  for (const file of files) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    t = performance.now();
    await page.goto(`file://${file}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForFunction(
      () => {
        const r = window.__report;
        return r?.ready && (r.kind !== 'plot' || (r.draws > 0 && r.bottomDraws > 0));
      },
      null,
      { timeout: 60_000, polling: 50 },
    );
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok())));
    const loadS = (performance.now() - t) / 1000;
    const rep = await page.evaluate(() => ({
      requests: window.__report.requests,
      points: window.__report.concurrencyPoints,
      rows: window.__report.rows,
    }));
    await page.screenshot({ path: file.replace(/\.html$/, '.png'), fullPage: true });
    // One zoom, timed: how responsive the drawn chart is.
    t = performance.now();
    if (rep.rows)
      await page.evaluate(() => {
        const u = window.__report.top;
        u.setScale('x', { min: u.scales.x.min, max: (u.scales.x.min + u.scales.x.max) / 2 });
      });
    const zoomMs = performance.now() - t;
    console.log(
      `${path.basename(file)}: load ${loadS.toFixed(2)} s, ${JSON.stringify(rep)}${rep.rows ? `, zoom redraw ${zoomMs.toFixed(0)} ms` : ''}${errors.length ? ` ERRORS ${errors.join('; ')}` : ''}`,
    );
    if (errors.length) process.exitCode = 1;
    loads.push(loadS);
    await page.close();
  }
} finally {
  await browser.close();
}
const htmlMb = sizes[0];
const loadS = loads[0];
if (htmlMb >= 20) {
  console.log(`FAIL: html ${htmlMb.toFixed(2)} MB >= 20 MB`);
  process.exitCode = 1;
}
if (loadS >= 5) {
  console.log(`FAIL: load ${loadS.toFixed(2)} s >= 5 s`);
  process.exitCode = 1;
}
console.log(`report: requests=${N} html_mb=${htmlMb.toFixed(2)} load_s=${loadS.toFixed(2)}`);
