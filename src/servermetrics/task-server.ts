/**
 * A task's server metrics from start to files: the baseline scrape before its
 * first request, the series while it runs (the board reads the latest), then
 * `<dataset>_server_metrics.jsonl`, the Common Metric rows and, with
 * --spec-decode, the speculative decoding report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerLatest } from '../engine/types.js';
import type { TlsOptions } from '../engine/tls.js';
import type { CommonRow } from '../metrics/types.js';
import { ServerMetricsScraper } from './scraper.js';
import { serverRows, type ServerPoint } from './series.js';
import { specDecodeReport, specDecodeRows } from './spec-decode.js';
import { TASK_FILE_SUFFIX } from '../core/run-layout.js';

export interface ServerMetricsConfig {
  url: string;
  headers: Record<string, string>;
  /** Asked for on the command line: a dead endpoint is worth a warning. */
  explicit: boolean;
  specDecode: boolean;
  tls?: TlsOptions;
}

interface Log {
  info(msg: string): void;
  warn(msg: string): void;
}

export class TaskServerMetrics {
  private readonly scraper: ServerMetricsScraper;
  active = false;
  private lastGood: ServerLatest = {};
  /** The series written by finish() (times from the run start). */
  points: ServerPoint[] = [];

  constructor(
    private readonly cfg: ServerMetricsConfig,
    private readonly log: Log,
  ) {
    this.scraper = new ServerMetricsScraper({
      url: cfg.url,
      headers: cfg.headers,
      tls: cfg.tls,
      warn: (m) => log.warn(m),
    });
  }

  async start(): Promise<void> {
    this.active = await this.scraper.start();
    if (this.active) this.log.info(`server metrics: scraping ${this.cfg.url} every second`);
    else if (this.cfg.explicit)
      this.log.warn(`server metrics: ${this.cfg.url} does not answer with vLLM, SGLang or TGI metrics; not scraped`);
  }

  /** What the board shows: the latest scrape (the last good values, flagged, when it failed). */
  latest(): ServerLatest | undefined {
    const p = this.scraper.latest;
    if (!this.active || !p) return undefined;
    if (p.missing) return { ...this.lastGood, missing: true };
    this.lastGood = { running: p.running, waiting: p.waiting, kvPct: p.kv_pct, prefixHitPct: p.prefix_hit_pct };
    return this.lastGood;
  }

  async stop(): Promise<void> {
    if (this.active) await this.scraper.stop();
  }

  /** Writes the series (and the spec decode report) next to the task's results; returns the Common Metric rows. */
  finish(dir: string, dataset: string, runStart: number): CommonRow[] {
    if (!this.active) return [];
    this.scraper.runStart = runStart;
    const points = (this.points = this.scraper.points());
    writeFileSync(
      path.join(dir, `${dataset}_server_metrics.jsonl`),
      points.map((p) => JSON.stringify(p)).join('\n') + '\n',
    );
    const rows = serverRows(this.scraper.readings, points).filter(
      (r) => !(this.cfg.specDecode && r.name.startsWith('Server Spec Decode')),
    );
    const all = this.cfg.specDecode ? [...rows, ...this.specDecode(dir)] : rows;
    // perf_viz recomputes from the details; these rows come from the server, so they are kept as they were.
    writeFileSync(path.join(dir, `${dataset}${TASK_FILE_SUFFIX.serverRows}`), JSON.stringify(all) + '\n');
    return all;
  }

  private specDecode(dir: string): CommonRow[] {
    const report = specDecodeReport(this.scraper.readings);
    if (!report) {
      this.log.warn('spec decode: the server reports no speculative decoding counters (vllm:spec_decode_*)');
      return [];
    }
    const u = new URL(this.cfg.url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    const file = path.join(dir, `spec_decode_${u.hostname.replace(/[^\w.-]/g, '_')}_${port}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    this.log.info(
      `spec decode: acceptance rate ${(100 * report.acceptance_rate).toFixed(2)} %, mean acceptance length ${report.mean_acceptance_length.toFixed(3)}; ${file}`,
    );
    return specDecodeRows(report);
  }
}

/** The rows and series a finished task saved (for perf_viz), or nothing when it did not scrape. */
export function readServerFiles(dir: string, dataset: string): { rows: CommonRow[]; points: ServerPoint[] } | null {
  try {
    const rows = JSON.parse(
      readFileSync(path.join(dir, `${dataset}${TASK_FILE_SUFFIX.serverRows}`), 'utf8'),
    ) as CommonRow[];
    const text = readFileSync(path.join(dir, `${dataset}_server_metrics.jsonl`), 'utf8');
    const points = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as ServerPoint);
    return { rows, points };
  } catch {
    return null;
  }
}
