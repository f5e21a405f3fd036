/**
 * When a failed attempt is tried again, and after how long. Only failures a
 * second try can cure are retried: the connection could not be made or was
 * cut, or the server said "later" (408, 429, 5xx). A 400/401/403/404 or a 3xx
 * answers the same every time, and a timeout already waited its full length.
 *
 * Delays grow exponentially with "equal jitter" (half fixed, half random;
 * AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), so clients
 * that failed together do not come back together; a server's Retry-After
 * (RFC 9110 §10.2.3: seconds or an HTTP date) is honoured up to a cap.
 */
import type { ErrorCode } from './types.js';

/** First retry waits 250-500 ms, then 500-1,000, 1,000-2,000 ... */
export const RETRY_BASE_MS = 500;
/** Longest backoff before jitter (ms). */
export const RETRY_MAX_MS = 8_000;
/** Longest Retry-After honoured (ms): a server asking for more is waited this long. */
export const RETRY_AFTER_CAP_MS = 60_000;

export function isRetriable(code: ErrorCode | undefined): boolean {
  if (!code) return false;
  if (code === 'E_CONNECT' || code === 'E_CONNECT_TIMEOUT' || code === 'E_STREAM_RESET') return true;
  const m = /^E_HTTP_(\d+)$/.exec(code);
  if (!m) return false;
  const status = Number(m[1]);
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** A Retry-After header value → ms from now, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowEpochMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowEpochMs) : undefined;
}

/**
 * Wait before the next attempt (ms), after `failed` failed attempts (1 = the
 * first one failed). `rand` in [0, 1).
 */
export function retryDelayMs(
  failed: number,
  retryAfterMs: number | undefined,
  rand: () => number = Math.random,
): number {
  const d = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failed - 1));
  const backoff = d / 2 + rand() * (d / 2);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}
