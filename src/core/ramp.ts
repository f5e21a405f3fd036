/**
 * The ramp-up of the send rate (AISBench's `traffic_cfg.ramp_up_*`, vLLM bench
 * serve's --ramp-up-strategy): one type, one parser, one rate function for the
 * engine's schedule, the config overrides and the RPS report.
 */
import { UsageError } from './errors.js';
import { toNumber } from './number.js';

export interface RampUp {
  strategy: 'linear' | 'exponential';
  /** req/s for the first request. */
  startRps: number;
  /** req/s for the last request. */
  endRps: number;
}

/** The CLI form `linear:10:50` / `exponential:1:20` (req/s, both > 0). */
export function parseRampUp(s: string): RampUp {
  const what = "'linear:START:END' or 'exponential:START:END' with rates > 0 (req/s)";
  const m = /^(linear|exponential):([^:]+):([^:]+)$/.exec(s.trim());
  const [, , startRaw, endRaw] = m ?? [];
  const start = startRaw !== undefined ? toNumber(startRaw) : undefined;
  const end = endRaw !== undefined ? toNumber(endRaw) : undefined;
  if (!m || start === undefined || end === undefined || start <= 0 || end <= 0) {
    throw new UsageError(`--ramp-up must be ${what} (got ${JSON.stringify(s)})`);
  }
  return { strategy: m[1] as RampUp['strategy'], startRps: start, endRps: end };
}

/**
 * Rate (req/s) at progress p ∈ [0, 1] through the requests: vLLM's ramp moves
 * with the request index, linearly or geometrically (an exponential ramp from
 * 0 req/s, which validation rejects, falls back to linear rather than NaN).
 */
export function rampRate(r: RampUp, p: number): number {
  return r.strategy === 'exponential' && r.startRps > 0
    ? r.startRps * Math.pow(r.endRps / r.startRps, p)
    : r.startRps + (r.endRps - r.startRps) * p;
}
