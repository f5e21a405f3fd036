/** Values of options only the perf command line has (the shared parsers: core/values.ts). */
import { UsageError } from '../core/errors.js';
import { badValue } from '../core/values.js';
import { checkUrl } from '../config/schema.js';
import { EXPORT_FORMATS, type ExportFormat } from '../config/options.js';

export function parseUrl(s: string): string {
  const msg = checkUrl(s);
  if (msg) throw new UsageError(`--url ${msg} (got ${JSON.stringify(s)})`);
  return s.replace(/\/+$/, '');
}

/** `svg,html` → ['svg', 'html']. */
export function parseExport(s: string, prev: ExportFormat[] | undefined): ExportFormat[] {
  const out = [...(prev ?? [])];
  for (const f of s.split(/[\s,]+/).filter(Boolean)) {
    if (!EXPORT_FORMATS.includes(f as ExportFormat)) {
      throw badValue('--export', `a list of ${EXPORT_FORMATS.join(', ')}`, s);
    }
    if (!out.includes(f as ExportFormat)) out.push(f as ExportFormat);
  }
  if (out.length === 0) throw badValue('--export', `a list of ${EXPORT_FORMATS.join(', ')}`, s);
  return out;
}
