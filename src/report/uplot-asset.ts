import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * uPlot is inlined into every report (no CDN, no network). Chosen because it
 * draws on one canvas, is ~50 KB minified, stays fast with 100k+ points, and
 * has cursor sync, drag-zoom and draw hooks (which we use to paint 100k request
 * segments ourselves in one path per colour).
 */
export interface UplotAsset {
  js: string;
  css: string;
}

let cached: UplotAsset | undefined;

export function uplotAsset(): UplotAsset {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = require.resolve('uplot/dist/uPlot.iife.min.js').replace(/uPlot\.iife\.min\.js$/, '');
  const js = readFileSync(`${dir}uPlot.iife.min.js`, 'utf8');
  const css = readFileSync(`${dir}uPlot.min.css`, 'utf8');
  // A literal "</script" inside the library would end our inline <script> early.
  cached = { js: js.replace(/<\/(script)/gi, '<\\/$1'), css: css.replace(/<\/(style)/gi, '<\\/$1') };
  return cached;
}
