import { mkdir } from 'node:fs/promises';
import { replaceFile as writeFile } from '../output/safe-write.js';
import path from 'node:path';
import { readDetails } from '../output/details-reader.js';
import { buildPlotHtml } from './plot-html.js';
import { buildRpsHtml } from './rps-html.js';
import type { ReportMeta, ReportRecord } from './types.js';
import { RunLayout } from '../core/run-layout.js';

/**
 * Writes `performances/<abbr>/<dataset>_plot.html` always, and
 * `<dataset>_rps_distribution_plot.html` when a request was scheduled
 * (some measured record has sched >= 0). Returns the absolute paths written.
 * `records` may be the records themselves or the path of the details JSONL.
 */
export async function writeReports(
  runDir: string,
  abbr: string,
  dataset: string,
  records: Iterable<ReportRecord> | string,
  meta: ReportMeta,
): Promise<string[]> {
  if (typeof records === 'string') return writeReportsFromDetails(runDir, abbr, dataset, records, meta);
  const list = Array.isArray(records) ? (records as ReportRecord[]) : Array.from(records);
  const dir = path.resolve(runDir, RunLayout.taskDir(abbr));
  await mkdir(dir, { recursive: true });
  const input = { ...meta, abbr, dataset, records: list };
  const written: string[] = [];
  const plot = path.resolve(runDir, RunLayout.taskFile(abbr, dataset, 'plot'));
  await writeFile(plot, buildPlotHtml(input));
  written.push(plot);
  if (list.some((r) => !r.warmup && r.sched >= 0)) {
    const rps = path.resolve(runDir, RunLayout.taskFile(abbr, dataset, 'rps'));
    await writeFile(rps, buildRpsHtml({ ...input, title: meta.title && `${meta.title} send rate` }));
    written.push(rps);
  }
  return written;
}

/** Same, reading the records back from a details file (as `--mode perf_viz --reuse` does). */
export async function writeReportsFromDetails(
  runDir: string,
  abbr: string,
  dataset: string,
  detailsPath: string,
  meta: ReportMeta,
): Promise<string[]> {
  const records: ReportRecord[] = [];
  // The run's own reader (it owns the codec); reports need no chunk gaps, so
  // the header-only pass skips decoding them. Issue 19: a second, fallback
  // JSONL parser here was tested while production used this reader.
  await readDetails(
    detailsPath,
    (r) => {
      if (r.warmup) return;
      records.push({
        id: r.id,
        ok: r.ok,
        code: r.code,
        message: r.message,
        sched: r.sched,
        t0: r.t0,
        ttft: r.ttft,
        e2el: r.e2el,
        end: r.end,
      });
    },
    { headersOnly: true },
  );
  return writeReports(runDir, abbr, dataset, records, meta);
}
