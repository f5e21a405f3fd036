/**
 * summary/index.html: the capacity curves as inline SVG (no script needed to
 * see them), the SLO line on the latency curves, the adaptive controller's
 * decisions as marks on its concurrency-over-time plot, a sortable table of
 * the points, and a link to every task's own plot page. Self-contained.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../report/escape.js';
import type { AdaptiveEvent } from './adaptive.js';
import type { CapacityReport } from './campaign.js';
import { capacityCurves, type Curve } from './curves.js';
import { POINT_METRICS } from './points.js';
import { fmt } from './summary.js';
import { RunLayout } from '../core/run-layout.js';

const W = 460;
const H = 260;
const M = { l: 60, r: 16, t: 28, b: 40 };

function nice(v: number): string {
  return Number.isInteger(v) ? String(v) : fmt(v);
}

/** One chart as SVG; `marks` are vertical lines with labels (adaptive decisions). */
export function svgChart(c: Curve, marks: Array<{ x: number; label: string }> = [], step = false): string {
  const pts = c.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]).concat(c.slo !== undefined ? [c.slo] : []);
  // Geometric sweeps (1, 4, 16, 64) read better on a log2 axis.
  const log = !c.scatter && !step && xs.length > 2 && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 8;
  const tx = (x: number) => (log ? Math.log2(x) : x);
  const x0 = Math.min(...xs.map(tx), ...marks.map((m) => m.x));
  const x1 = Math.max(...xs.map(tx), ...marks.map((m) => m.x));
  const y1 = Math.max(...ys, 0) * 1.08 || 1;
  const sx = (x: number) => M.l + ((tx(x) - x0) / (x1 - x0 || 1)) * (W - M.l - M.r);
  const sy = (y: number) => H - M.b - (y / y1) * (H - M.t - M.b);
  const parts: string[] = [];
  parts.push(`<text x="${M.l}" y="16" class="t">${escapeHtml(`${c.title} (${c.yUnit})`)}</text>`);
  parts.push(
    `<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" class="ax"/><line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" class="ax"/>`,
  );
  for (const f of [0, 0.5, 1]) {
    const y = y1 * f;
    parts.push(`<text x="${M.l - 6}" y="${sy(y) + 4}" class="yl">${nice(y)}</text>`);
  }
  for (const x of [...new Set(xs)].slice(0, 12))
    parts.push(`<text x="${sx(x)}" y="${H - M.b + 14}" class="xl">${nice(x)}</text>`);
  parts.push(
    `<text x="${(W + M.l) / 2}" y="${H - 6}" class="xl">${escapeHtml(c.xLabel + (log ? ' (log scale)' : ''))}</text>`,
  );
  if (c.slo !== undefined) {
    parts.push(
      `<line x1="${M.l}" y1="${sy(c.slo)}" x2="${W - M.r}" y2="${sy(c.slo)}" class="slo"/><text x="${W - M.r}" y="${sy(c.slo) - 4}" class="slot">SLO ${nice(c.slo)}</text>`,
    );
  }
  for (const m of marks)
    parts.push(
      `<line x1="${sx(m.x)}" y1="${M.t}" x2="${sx(m.x)}" y2="${H - M.b}" class="mk"><title>${escapeHtml(m.label)}</title></line>`,
    );
  if (!c.scatter && pts.length > 1) {
    const d = pts.map(([x, y], i) => {
      if (!step || i === 0) return `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
      return `L${sx(x).toFixed(1)},${sy(pts[i - 1]![1]).toFixed(1)}L${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    });
    parts.push(`<path d="${d.join('')}" class="ln"/>`);
  }
  if (!step) {
    pts.forEach(([x, y], i) => {
      parts.push(
        `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" class="pt"><title>${escapeHtml(`${c.labels?.[i] ?? nice(x)}: ${nice(y)} ${c.yUnit}`)}</title></circle>`,
      );
      if (c.labels) parts.push(`<text x="${sx(x) + 5}" y="${sy(y) - 5}" class="pl">${escapeHtml(c.labels[i]!)}</text>`);
    });
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}

const CSS = `body{font:14px system-ui,sans-serif;margin:20px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.grid{display:flex;flex-wrap:wrap;gap:12px}svg{background:#fafafa;border:1px solid #ddd}
.t{font-weight:600;font-size:13px}.ax{stroke:#888}.yl{font-size:11px;text-anchor:end}.yl0{font-size:11px}.xl{font-size:11px;text-anchor:middle}
.ln{fill:none;stroke:#1f77b4;stroke-width:2}.pt{fill:#1f77b4}.pl{font-size:10px;fill:#555}.slo{stroke:#d62728;stroke-dasharray:6 4}.slot{font-size:11px;fill:#d62728;text-anchor:end}
.mk{stroke:#ff7f0e;stroke-dasharray:2 3}table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{cursor:pointer;background:#f0f0f0}td:first-child,th:first-child{text-align:left}.pass{color:#2ca02c}.fail{color:#d62728;font-weight:600}pre{background:#f6f6f6;padding:8px}`;

const SORT = `document.querySelectorAll('table.sortable th').forEach((th,i)=>th.addEventListener('click',()=>{const tb=th.closest('table').tBodies[0];const rows=[...tb.rows];const d=th.dataset.d=th.dataset.d==='a'?'d':'a';const v=r=>{const t=r.cells[i].textContent;const n=parseFloat(t);return isNaN(n)?t:n};rows.sort((a,b)=>{const x=v(a),y=v(b);return (x<y?-1:x>y?1:0)*(d==='a'?1:-1)});rows.forEach(r=>tb.appendChild(r))}));`;

export function indexHtml(report: CapacityReport, title: string): string {
  const body: string[] = [`<h1>${escapeHtml(title)}</h1>`];
  if (report.objectives.length) body.push(`<p>SLO: <b>${escapeHtml(report.objectives.join(', '))}</b></p>`);
  const adaptive = (report.extra.adaptive ?? []) as Array<{
    task: string;
    boundary: number;
    events: AdaptiveEvent[];
    capSeries: Array<[number, number]>;
  }>;
  for (const { base, curves } of capacityCurves(report)) {
    if (curves[0]!.points.length < 2 && adaptive.length) continue;
    body.push(`<h2>${escapeHtml(base)}</h2><div class="grid">${curves.map((c) => svgChart(c)).join('')}</div>`);
  }
  for (const a of adaptive) {
    const curve: Curve = {
      title: `Concurrency cap over time (settled at ${a.boundary})`,
      xLabel: 's since start',
      yUnit: 'concurrency',
      points: a.capSeries,
      scatter: false,
    };
    const marks = a.events.map((e) => ({ x: e.tS, label: `t=${e.tS}s ${e.phase}: ${e.from} → ${e.to} (${e.why})` }));
    body.push(`<h2>${escapeHtml(a.task)}: adaptive</h2><div class="grid">${svgChart(curve, marks, true)}</div>`);
    body.push(
      `<table><thead><tr><th>t (s)</th><th>phase</th><th>from</th><th>to</th><th>why</th><th>window</th></tr></thead><tbody>${a.events
        .map(
          (e) =>
            `<tr><td>${e.tS}</td><td>${e.phase}</td><td>${e.from}</td><td>${e.to}</td><td>${escapeHtml(e.why)}</td><td>${escapeHtml(
              Object.entries(e.window)
                .map(([k, v]) => `${k}: ${fmt(v)}`)
                .join(', '),
            )} (n=${e.n})</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  const shown = POINT_METRICS.filter((m) => !['ttftP50', 'itlP99'].includes(m.id));
  const head = ['task', 'load', ...shown.map((m) => `${m.label}${m.unit ? ` (${m.unit})` : ''}`), 'SLO', 'plot'];
  const rows = report.points.map((p) => {
    // A link (always '/'), from summary/ up to the task's plot.
    const plot = path.posix.join(
      '..',
      ...RunLayout.taskFile(p.key.split('/')[0]!, datasetFile(p), 'plot').split(path.sep),
    );
    const slo =
      p.sloMet === undefined ? '-' : p.sloMet ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>';
    return `<tr><td>${escapeHtml(p.key)}</td><td>${p.value ?? ''}</td>${shown.map((m) => `<td>${fmt(p[m.id])}</td>`).join('')}<td>${slo}</td><td><a href="${escapeHtml(plot)}">plot</a></td></tr>`;
  });
  body.push(
    `<h2>Points</h2><p>Click a column to sort.</p><table class="sortable"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
  const notes = report.lines.filter((l) => /largest|settled/.test(l));
  if (notes.length) body.push(`<h2>Answer</h2><pre>${escapeHtml(notes.join('\n'))}</pre>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>${body.join('\n')}<script>${SORT}</script></body></html>\n`;
}

/** The dataset part of a task's file names (`synthetic_c16_run2`). */
function datasetFile(p: { files: Record<string, string>; key: string }): string {
  const file = p.files.csv ?? p.files.json;
  return file ? RunLayout.taskFileDataset(file) : (p.key.split('/')[1] ?? '').split(' ')[0]!;
}

export function writeIndexHtml(runDir: string, report: CapacityReport, title: string): string {
  mkdirSync(path.join(runDir, RunLayout.summary), { recursive: true });
  writeFileSync(path.join(runDir, RunLayout.summaryFile('index.html')), indexHtml(report, title));
  return RunLayout.summaryFile('index.html');
}
