import { escapeHtml } from './escape.js';
import { renderPage } from './page.js';
import { MERGE_CLIENT_JS } from './merge-client.js';
import { PLOT_CLIENT_JS } from './plot-client.js';
import { preparePlotData } from './plot-data.js';
import type { PlotInput } from './types.js';
import { taskKey } from '../core/task.js';

const int = (n: number): string => n.toLocaleString('en-US');

/** The self-contained `<dataset>_plot.html`: request timeline over an exact concurrency step chart. */
export function buildPlotHtml(input: PlotInput): string {
  const data = preparePlotData(input.records, {
    aggregateAbove: input.aggregateAbove,
    aggregateRows: input.aggregateRows,
    fullDataMax: input.fullDataMax,
  });
  const task = taskKey(input.abbr, input.dataset);
  const server = serverSeries(input.server);
  const title = input.title ?? `${task} request timeline`;
  const agg = data.aggregated;
  const note = agg
    ? `<p class="note" id="agg-note">Large run: ${int(data.requests)} requests are drawn as ${int(agg.start.length)} rows of ` +
      `${int(agg.size)} consecutive requests each (earliest send to latest end, split at the rows' TTFT share; ` +
      `a row's decode colour turns from blue to red with its share of failures). Hover shows each row's statistics. The concurrency chart below is exact.</p>`
    : data.requests > data.mergeAbove
      ? `<p class="note" id="agg-note">Large run: while more than ${int(data.mergeAbove)} requests are in view, the requests ` +
        `of each pixel row are drawn merged (earliest send to latest end, split at their TTFT share; the decode colour turns ` +
        `from blue to red with the row's share of failures). Drag a box to zoom in on fewer requests and see each one. Hover always shows the single ` +
        `request under the cursor. The concurrency chart below is exact.</p>`
      : '';
  const body = `
<h1>${escapeHtml(title)}</h1>
<p class="meta">Task <b>${escapeHtml(task)}</b> &middot; model <b id="model-name">${escapeHtml(input.model)}</b> &middot;
${int(data.requests)} requests (${int(data.requests - data.failed)} succeeded, ${int(data.failed)} failed) &middot;
peak in flight ${int(maxOf(data.concurrency.v))} &middot;
duration ${(Math.max(0, data.span[1]) / 1000).toFixed(3)} s</p>
${note}
<div class="toolbar">
<button id="btn-reset" title="Show the whole run">Reset</button>
<button id="btn-zoom-out">Zoom out</button>
<button id="btn-pan-left">&#9664; Pan</button>
<button id="btn-pan-right">Pan &#9654;</button>
<button id="btn-png">Save PNG</button>
<span class="hint">Drag to zoom (a flat drag zooms time only) &middot; Shift+drag to pan &middot; double-click to reset. The time axes of both charts are linked.</span>
</div>
<h2>Requests <span class="hint"><span class="key" style="background:#f59e0b"></span>TTFT
<span class="key" style="background:#2563eb"></span>decode <span class="key" style="background:#dc2626"></span>failed</span></h2>
<div class="info" id="req-info">Hover a request to see its TTFT, decode time and E2EL.</div>
<div class="chart" id="chart-requests"></div>
<h2>Requests in flight (client side)</h2>
<div class="chart" id="chart-concurrency"></div>${
    server
      ? `
<h2>The server's own metrics <span class="hint">running and waiting requests, KV cache % (right axis), scraped once a second${server.missing > 0 ? `; ${server.missing} scrape(s) failed (gaps)` : ''}</span></h2>
<div class="chart" id="chart-server"></div>`
      : ''
  }`;
  return renderPage({
    title,
    body,
    payload: { ...data, pngName: `${input.dataset}_plot.png`, ...(server ? { server } : {}) },
    clientJs: MERGE_CLIENT_JS + PLOT_CLIENT_JS,
  });
}

function maxOf(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** The server's points as uPlot columns (s; null = a failed scrape, drawn as a gap), or null when there are none. */
function serverSeries(points: PlotInput['server']): {
  t: number[];
  running: (number | null)[];
  waiting: (number | null)[];
  kv: (number | null)[];
  missing: number;
} | null {
  const pts = (points ?? []).filter((p) => p.t >= 0);
  if (!pts.some((p) => !p.missing)) return null;
  const col = (f: (p: (typeof pts)[number]) => number | undefined) =>
    pts.map((p) => (p.missing ? null : (f(p) ?? null)));
  return {
    t: pts.map((p) => p.t),
    running: col((p) => p.running),
    waiting: col((p) => p.waiting),
    kv: col((p) => p.kv_pct),
    missing: pts.filter((p) => p.missing).length,
  };
}
