import type { RequestRecord } from '../engine/types.js';

/**
 * The fields of a RequestRecord the reports read. Times are ms since the
 * task's run start; ttft/e2el are durations in ms (NaN when no token came).
 */
export type ReportRecord = Pick<RequestRecord, 't0' | 'ttft' | 'e2el' | 'end' | 'ok' | 'sched'> &
  Partial<Pick<RequestRecord, 'id' | 'code' | 'message' | 'warmup'>>;

/** Ramp-up of the send rate, as configured (`traffic_cfg`). Rates in requests/s. */
import type { RampUp } from '../core/ramp.js';
export type { RampUp };

/** What a report shows about the task besides its records. */
export interface ReportMeta {
  /** Served model name (shown escaped). */
  model: string;
  /** Page title; default `<abbr>/<dataset>`. */
  title?: string;
  /** Configured request rate (requests/s); absent or 0 = all at once. */
  requestRate?: number;
  rampUp?: RampUp;
  /** Gamma shape of the gaps (1 = Poisson, 0 = fixed gaps). */
  burstiness?: number;
  /** The server's own metrics (--server-metrics), t in s from the run start: the plot's third chart. */
  server?: ReadonlyArray<{ t: number; missing?: boolean; running?: number; waiting?: number; kv_pct?: number }>;
}

export interface PlotInput extends ReportMeta {
  abbr: string;
  dataset: string;
  records: readonly ReportRecord[];
  /** With more requests than this in view, the browser merges them per pixel row (default 20,000). */
  aggregateAbove?: number;
  /** Above this many requests the page carries fixed aggregated rows only (default 250,000). */
  fullDataMax?: number;
  /** Rows of that fixed aggregated timeline (default 2,000). */
  aggregateRows?: number;
}

export interface RpsInput extends ReportMeta {
  abbr: string;
  dataset: string;
  records: readonly ReportRecord[];
}
