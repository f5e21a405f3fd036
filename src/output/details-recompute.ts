/**
 * recomputeFromDetails: the results of a task from its details file (for
 * `--mode perf_viz --reuse`). Large files are split at newline boundaries
 * across worker_threads (one per core), each filling its own accumulator;
 * the partial states (columns, exact ITL histograms, token bins) merge
 * exactly, so the result does not depend on the split.
 *
 * With `stable`, a first header-only pass finds the stable window, so the
 * second pass can route ITL into the stable histogram without keeping gaps.
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TaskAccumulator, type AccumulatorOptions, type AccumulatorState } from '../metrics/accumulator.js';
import type { Slo } from '../core/slo.js';
import { aisbenchStableWindow, stableWindow } from '../metrics/stable.js';
import { DEFAULT_DIALECT, viewOf, type Dialect } from '../metrics/dialects.js';
import type { TaskResult } from '../metrics/types.js';
import { DetailsFormatError, readDetails, type ReadDetailsResult } from './details-reader.js';

export interface RecomputeOptions {
  maxConcurrency: number;
  stats: string[];
  slo?: Slo;
  stable?: boolean;
  /** Metric dialect (default aisbench). */
  dialect?: Dialect;
  /** Token audit rows (the run counted prompts with a tokenizer). */
  audit?: boolean;
  key: string;
  abbr: string;
  dataset: string;
  model: string;
  /** Worker threads (default: cores, 1 below `parallelMinBytes`). */
  workers?: number;
  /** Files smaller than this (bytes) are read on the calling thread (default 64 MiB). */
  parallelMinBytes?: number;
  /** Called with reader warnings (e.g. a skipped partial last line). */
  onWarning?: (message: string) => void;
}

/** The compiled worker; when running from src/*.ts (vitest), the dist/ build of it. */
function workerUrl(): URL | null {
  let url = new URL('./details-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) url = new URL(url.href.replace('/src/output/', '/dist/output/'));
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Split [0, size) into n ranges that start at line starts. */
async function splitRanges(path: string, size: number, n: number): Promise<Array<[number, number]>> {
  const fh = await open(path, 'r');
  const cuts = [0];
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let i = 1; i < n; i++) {
      let pos = Math.max(Math.floor((size * i) / n), cuts[cuts.length - 1]!);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) {
          pos = size;
          break;
        }
        const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
        if (nl >= 0) {
          pos += nl + 1;
          break;
        }
        pos += bytesRead;
      }
      cuts.push(pos);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1]! > cuts[i]!) ranges.push([cuts[i]!, cuts[i + 1]!]);
  return ranges;
}

interface Part {
  res: ReadDetailsResult;
  state: AccumulatorState;
}

function runWorker(
  url: URL,
  path: string,
  range: [number, number],
  acc: AccumulatorOptions,
): Promise<Part | { line?: number; message: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { workerData: { path, start: range[0], end: range[1], acc } });
    w.once(
      'message',
      (m: { ok: boolean; res: ReadDetailsResult; state: AccumulatorState; message: string; line?: number }) => {
        resolve(m.ok ? { res: m.res, state: m.state } : { line: m.line, message: m.message });
        void w.terminate();
      },
    );
    w.once('error', reject);
  });
}

export async function recomputeFromDetails(path: string, o: RecomputeOptions): Promise<TaskResult> {
  const warn = (m: string): void => o.onWarning?.(m);
  const dialect = o.dialect ?? DEFAULT_DIALECT;
  const accOpts: AccumulatorOptions = {
    maxConcurrency: o.maxConcurrency,
    slo: o.slo,
    stable: o.stable,
    dialect,
    audit: o.audit,
  };
  if (o.stable) {
    // A first pass finds the window. AISBench's window needs each success's
    // last timed event under the dialect: a header pass is enough for the
    // default dialect (last token-bearing event = t0 + e2el), the others
    // read the events.
    const t0: number[] = [];
    const end: number[] = [];
    const headersOnly = dialect === 'per-token' || dialect === 'aisbench';
    await readDetails(
      path,
      (r) => {
        if (r.warmup) return;
        if (dialect === 'per-token') {
          t0.push(r.t0);
          end.push(r.end);
          return;
        }
        const v = headersOnly ? { ok: r.ok, e2el: r.e2el } : viewOf(r, dialect);
        if (v.ok) {
          t0.push(r.t0);
          end.push(r.t0 + v.e2el);
        }
      },
      { headersOnly },
    );
    accOpts.stableWindow =
      dialect === 'per-token'
        ? stableWindow(Float64Array.from(t0), Float64Array.from(end), o.maxConcurrency)
        : aisbenchStableWindow(Float64Array.from(t0), Float64Array.from(end), o.maxConcurrency);
  }
  const size = (await stat(path)).size;
  const url = workerUrl();
  const n = o.workers ?? (size >= (o.parallelMinBytes ?? 64 << 20) ? availableParallelism() : 1);
  const acc = new TaskAccumulator(accOpts);
  if (n <= 1 || url === null) {
    const res = await readDetails(path, (r) => acc.add(r));
    res.warnings.forEach(warn);
  } else {
    const ranges = await splitRanges(path, size, n);
    const parts = await Promise.all(ranges.map((rg) => runWorker(url, path, rg, accOpts)));
    let lines = 0;
    for (const p of parts) {
      if (!('state' in p)) {
        if (p.line !== undefined)
          throw new DetailsFormatError(path, lines + p.line, p.message.replace(/^.*?: malformed details line: /, ''));
        throw new Error(p.message);
      }
      lines += p.res.lines;
      p.res.warnings.forEach((m) => warn(m.replace(/:(\d+):/, () => `:${lines}:`)));
      acc.mergeState(p.state);
    }
  }
  return acc.finalize({
    key: o.key,
    abbr: o.abbr,
    dataset: o.dataset,
    model: o.model,
    stats: o.stats,
    interrupted: false,
  });
}
