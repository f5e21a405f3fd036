/**
 * Scrapes a server's Prometheus endpoint once a second during a task, on the
 * main thread (one small GET a second costs the load workers nothing). A
 * failure never touches the run: the first one in a task logs one warning,
 * each failed scrape becomes a `missing` point, and scraping goes on.
 */
import { request } from 'undici';
import { nowMs } from '../engine/clock.js';
import { tlsDispatcher, type TlsOptions } from '../engine/tls.js';
import { parsePrometheusText } from './prom-text.js';
import { toPoint, type ServerPoint, type TimedReading } from './series.js';
import { readServer, type ServerReading } from './vocab.js';

/** Bodies above this are not parsed (a metrics page is tens of KB). */
const MAX_BYTES = 8 * 1024 * 1024;

export interface ScraperOptions {
  url: string;
  headers: Record<string, string>;
  intervalMs?: number;
  timeoutMs?: number;
  tls?: TlsOptions;
  /** Called once, on the first failed scrape of the task. */
  warn: (msg: string) => void;
}

/** One GET of the endpoint: the reading, or why not (a short reason, never the server's text). */
export async function scrapeOnce(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  tls?: TlsOptions,
): Promise<ServerReading | string> {
  try {
    const res = await request(url, {
      method: 'GET',
      headers,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: tlsDispatcher(tls),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return `HTTP ${res.statusCode}`;
    }
    const len = Number(res.headers['content-length'] ?? 0);
    if (len > MAX_BYTES) {
      await res.body.dump();
      return `body of ${len} bytes`;
    }
    const r = readServer(parsePrometheusText(await res.body.text()));
    return r.dialect === 'unknown' ? 'no known metric names (vLLM, SGLang, TGI)' : r;
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string } };
    return e.code ?? e.cause?.code ?? 'request failed';
  }
}

export class ServerMetricsScraper {
  readonly readings: TimedReading[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<void> | null = null;
  private warned = false;
  private baseline: ServerReading | null = null;
  /** The latest point (for the board); runStart 0 until the run starts. */
  latest: ServerPoint | null = null;
  runStart = 0;

  constructor(private readonly o: ScraperOptions) {}

  /** Takes the baseline; false if the endpoint does not answer with known metrics (then nothing runs). */
  async start(): Promise<boolean> {
    const first = await scrapeOnce(this.o.url, this.o.headers, this.o.timeoutMs ?? 2000, this.o.tls);
    if (typeof first === 'string') return false;
    this.baseline = first;
    this.readings.push({ at: nowMs(), reading: first });
    this.timer = setInterval(() => {
      if (!this.inflight) this.inflight = this.scrape().finally(() => (this.inflight = null));
    }, this.o.intervalMs ?? 1000);
    this.timer.unref();
    return true;
  }

  private async scrape(): Promise<void> {
    const r = await scrapeOnce(this.o.url, this.o.headers, this.o.timeoutMs ?? 2000, this.o.tls);
    const cur: TimedReading = { at: nowMs(), reading: typeof r === 'string' ? null : r };
    if (typeof r === 'string' && !this.warned) {
      this.warned = true;
      this.o.warn(
        `server metrics: scrape of ${this.o.url} failed (${r}); the series is marked missing where scrapes fail, the run goes on`,
      );
    }
    const prev = [...this.readings].reverse().find((x) => x.reading !== null) ?? null;
    this.readings.push(cur);
    this.latest = toPoint(cur, prev, this.baseline, this.runStart || cur.at);
  }

  /** Stops, after one last scrape (the "after" of the counters). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.baseline) return;
    await this.inflight;
    await this.scrape();
  }

  /** The series, times relative to the run start. */
  points(): ServerPoint[] {
    const out: ServerPoint[] = [];
    let prev: TimedReading | null = null;
    const start = this.runStart || (this.readings[0]?.at ?? 0);
    for (const r of this.readings) {
      out.push(toPoint(r, prev, this.baseline, start));
      if (r.reading) prev = r;
    }
    return out;
  }

  get failed(): boolean {
    return this.warned;
  }
}
