/**
 * The runs of a work dir for the `view` picker, newest first: when, which
 * models and datasets, and the headline numbers read from the saved JSON
 * (nothing is recomputed or written).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listRuns } from './run-folder.js';
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import { RunLayout, TASK_FILE_SUFFIX } from '../core/run-layout.js';

export interface RunEntry {
  name: string;
  dir: string;
  /** 'YYYY-MM-DD HH:MM:SS' from the folder name. */
  date: string;
  models: string[];
  datasets: string[];
  /** Sums over the run's tasks. */
  requests: number;
  failed: number;
  /** Output tokens/s summed over tasks; NaN when no task has it. */
  outTokPerSec: number;
}

const num = (v: unknown): number =>
  typeof v === 'string' || typeof v === 'number' ? Number.parseFloat(String(v)) : NaN;

export function describeRun(workDir: string, name: string): RunEntry {
  const dir = path.join(workDir, name);
  const m = /^(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)/.exec(name);
  const e: RunEntry = {
    name,
    dir,
    date: m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` : name,
    models: [],
    datasets: [],
    requests: 0,
    failed: 0,
    outTokPerSec: NaN,
  };
  const perf = path.join(dir, RunLayout.performances);
  if (!existsSync(perf)) return e;
  for (const abbr of readdirSync(perf).sort()) {
    let files: string[];
    try {
      files = readdirSync(path.join(perf, abbr));
    } catch {
      continue;
    }
    for (const f of files.filter((x) => x.endsWith(TASK_FILE_SUFFIX.meta))) {
      const dataset = f.slice(0, -TASK_FILE_SUFFIX.meta.length);
      try {
        const meta = JSON.parse(readFileSync(path.join(perf, abbr, f), 'utf8')) as { model?: string };
        if (meta.model && !e.models.includes(meta.model)) e.models.push(meta.model);
      } catch {
        /* a hand-made folder: no model name */
      }
      if (!e.datasets.includes(dataset)) e.datasets.push(dataset);
      try {
        // Keyed by the rows' display names (output/results-files.ts writes them).
        const j = JSON.parse(readFileSync(path.join(perf, abbr, `${dataset}.json`), 'utf8')) as Record<
          string,
          { total?: string }
        >;
        e.requests += num(j[COMMON_METRIC_NAMES.total_requests]?.total) || 0;
        e.failed += num(j[COMMON_METRIC_NAMES.failed_requests]?.total) || 0;
        const out = num(j[COMMON_METRIC_NAMES.output_token_throughput]?.total);
        if (Number.isFinite(out)) e.outTokPerSec = (Number.isFinite(e.outTokPerSec) ? e.outTokPerSec : 0) + out;
      } catch {
        /* stopped before its results were written */
      }
    }
  }
  return e;
}

/** Every run of `workDir`, newest first. */
export function listRunEntries(workDir: string): RunEntry[] {
  return listRuns(workDir)
    .reverse()
    .map((n) => describeRun(workDir, n));
}
