import { escapeHtml } from './escape.js';
import { renderPage } from './page.js';
import { RPS_CLIENT_JS } from './rps-client.js';
import { prepareRpsData } from './rps-data.js';
import type { RpsInput } from './types.js';
import { taskKey } from '../core/task.js';

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '-');

/** The self-contained `<dataset>_rps_distribution_plot.html`: planned vs actual sends. */
export function buildRpsHtml(input: RpsInput): string {
  const d = prepareRpsData(input.records, input);
  const task = taskKey(input.abbr, input.dataset);
  const title = input.title ?? `${task} send rate`;
  const cfg: string[] = [];
  if (input.rampUp) {
    const r = input.rampUp;
    cfg.push(`ramp-up ${escapeHtml(String(r.strategy))} ${r.startRps} &rarr; ${r.endRps} req/s (by request index)`);
  } else if (input.requestRate && input.requestRate > 0) cfg.push(`request rate ${input.requestRate} req/s`);
  if (input.burstiness !== undefined) cfg.push(`burstiness ${input.burstiness}`);
  const [pOver, aOver] = d.gapOverflow;
  const body = `
<h1>${escapeHtml(title)}</h1>
<p class="meta">Task <b>${escapeHtml(task)}</b> &middot; model <b id="model-name">${escapeHtml(input.model)}</b> &middot;
${d.requests.toLocaleString('en-US')} scheduled requests${cfg.length ? ' &middot; ' + cfg.join(' &middot; ') : ''}</p>
<table class="stats" id="delay-stats"><tr><th>send delay (actual &minus; planned)</th><th>mean</th><th>median</th><th>P99</th><th>max</th></tr>
<tr><th></th><td>${ms(d.delay.mean)}</td><td>${ms(d.delay.p50)}</td><td>${ms(d.delay.p99)}</td><td>${ms(d.delay.max)}</td></tr></table>
<div class="toolbar">
<button id="btn-reset">Reset</button>
<button id="btn-png">Save PNG</button>
<span class="hint">Drag to zoom &middot; Shift+drag to pan &middot; double-click to reset. The two time charts are linked.</span>
</div>
<h2>Send rate: planned (schedule) vs actual (client)</h2>
<div class="chart" id="chart-rate"></div>
<h2>Send delay of the requests planned in each bin</h2>
<div class="chart" id="chart-delay"></div>
<h2>Gaps between consecutive sends</h2>
<p class="hint">Beyond the last bin: ${pOver} planned, ${aOver} actual gaps.</p>
<div class="chart" id="chart-gaps"></div>`;
  return renderPage({
    title,
    body,
    payload: { ...d, pngName: `${input.dataset}_rps_distribution_plot.png` },
    clientJs: RPS_CLIENT_JS,
  });
}
