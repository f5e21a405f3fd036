import { escapeHtml, scriptJson } from './escape.js';
import { COMMON_CLIENT_JS } from './common-client.js';
import { uplotAsset } from './uplot-asset.js';

/** The parts of one self-contained report page. */
export interface PageParts {
  /** Plain text (escaped here). */
  title: string;
  /** Trusted HTML, every outside text in it already escaped by the caller. */
  body: string;
  /** Data for the client script (embedded as escaped JSON). */
  payload: unknown;
  /** Page-specific client script (runs after COMMON_CLIENT_JS in one scope). */
  clientJs: string;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px 20px;color:#1f2937;background:#fff}
h1{font-size:19px;margin:0 0 4px}
.meta{color:#4b5563;margin:0 0 6px}
.note{background:#fef3c7;border:1px solid #f59e0b;padding:6px 10px;border-radius:4px;margin:6px 0}
.toolbar{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin:8px 0}
.toolbar button{font:inherit;padding:3px 10px;border:1px solid #9ca3af;border-radius:4px;background:#f9fafb;cursor:pointer}
.toolbar button:hover{background:#e5e7eb}
.hint{color:#6b7280;font-size:12px}
.key{display:inline-block;width:14px;height:4px;vertical-align:middle;margin:0 4px 0 10px}
.info{font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;min-height:18px;white-space:pre-wrap;color:#111827;background:#f3f4f6;padding:4px 8px;border-radius:4px}
.chart{margin:4px 0 10px}
h2{font-size:15px;margin:12px 0 2px}
table.stats{border-collapse:collapse;margin:6px 0}
table.stats td,table.stats th{border:1px solid #d1d5db;padding:2px 8px;text-align:right}
table.stats th{background:#f3f4f6;text-align:left}
`;

export function renderPage(parts: PageParts): string {
  const { js, css } = uplotAsset();
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    // No network at all: the page only runs its own inline code and shows data: images.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">`,
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${css}${CSS}</style>`,
    '</head><body>',
    parts.body,
    `<script type="application/json" id="report-data">${scriptJson(parts.payload)}</script>`,
    `<script>${js}</script>`,
    `<script>(function(){"use strict";\n${COMMON_CLIENT_JS}\n${parts.clientJs}\n})();</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
