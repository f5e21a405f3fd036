/**
 * Parsers for option values. Each throws a UsageError whose one line names
 * the option and echoes what was given, e.g.
 * `--max-concurrency must be a positive integer (got "abc")`.
 */
import { UsageError } from '../core/errors.js';
import { checkUrl } from '../config/schema.js';
import { parseObjective } from '../capacity/slo.js';
import { EXPORT_FORMATS, type ExportFormat, type SloOptions } from './options.js';

const bad = (flag: string, what: string, got: string) =>
  new UsageError(`${flag} must be ${what} (got ${JSON.stringify(got)})`);

/** Strict decimal number: rejects '', '1e', '0x10', '12abc'. */
function toNumber(s: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export const positiveInt = (flag: string) => (s: string): number => {
  const n = toNumber(s);
  if (n === undefined || !Number.isInteger(n) || n < 1) throw bad(flag, 'a positive integer', s);
  return n;
};

export const nonNegInt = (flag: string) => (s: string): number => {
  const n = toNumber(s);
  if (n === undefined || !Number.isInteger(n) || n < 0) throw bad(flag, 'an integer ≥ 0', s);
  return n;
};

export const nonNegNumber = (flag: string) => (s: string): number => {
  const n = toNumber(s);
  if (n === undefined || n < 0) throw bad(flag, 'a number ≥ 0', s);
  return n;
};

export const positiveNumber = (flag: string) => (s: string): number => {
  const n = toNumber(s);
  if (n === undefined || n <= 0) throw bad(flag, 'a number > 0', s);
  return n;
};

/** Node timers hold at most 2^31-1 ms; a larger duration would fire after 1 ms. */
export const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);

/** A duration in seconds a timer can hold: 0..MAX_TIMER_S (> 0 when `positive`). */
export const timerSeconds = (flag: string, positive = false) => (s: string): number => {
  const n = toNumber(s);
  const what = `a number of seconds in ${positive ? '(0' : '[0'}, ${MAX_TIMER_S}] (the longest a timer holds, about 24.8 days)`;
  if (n === undefined || n < 0 || (positive && n === 0) || n > MAX_TIMER_S) throw bad(flag, what, s);
  return n;
};

/** Names given as `a b`, `a,b` or repeated options all end up in one list. */
export const nameList = (s: string, prev: string[] | undefined): string[] => [
  ...(prev ?? []),
  ...s.split(/[\s,]+/).filter(Boolean),
];

export function parseUrl(s: string): string {
  const msg = checkUrl(s);
  if (msg) throw new UsageError(`--url ${msg} (got ${JSON.stringify(s)})`);
  return s.replace(/\/+$/, '');
}

/** One parser for --ramp-up and traffic_cfg ramps: core/ramp.ts. */
export { parseRampUp } from '../core/ramp.js';

/**
 * `ttft:500,tpot:50,e2el:3000` (per-request bounds, ms) → { ttftMs, tpotMs, e2elMs };
 * parts with a statistic (`ttft:p99<=500`) are objectives (capacity/slo.ts).
 */
export function parseSlo(s: string): SloOptions {
  const what = "a list like 'ttft:500,tpot:50,e2el:3000' (ms > 0)";
  const keys = { ttft: 'ttftMs', tpot: 'tpotMs', e2el: 'e2elMs' } as const;
  const out: SloOptions = {};
  const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw bad('--slo', what, s);
  for (const part of parts) {
    if (part.includes('<')) {
      const o = parseObjective(part);
      if (typeof o === 'string') throw new UsageError(`--slo: ${o}`);
      (out.objectives ??= []).push(o);
      continue;
    }
    const m = /^(\w+):(.+)$/.exec(part);
    const key = m ? keys[m[1]!.toLowerCase() as keyof typeof keys] : undefined;
    const v = m ? toNumber(m[2]!) : undefined;
    if (!key || v === undefined || v <= 0) throw bad('--slo', what, s);
    out[key] = v;
  }
  return out;
}

/** `svg,html` → ['svg', 'html']. */
export function parseExport(s: string, prev: ExportFormat[] | undefined): ExportFormat[] {
  const out = [...(prev ?? [])];
  for (const f of s.split(/[\s,]+/).filter(Boolean)) {
    if (!EXPORT_FORMATS.includes(f as ExportFormat)) {
      throw bad('--export', `a list of ${EXPORT_FORMATS.join(', ')}`, s);
    }
    if (!out.includes(f as ExportFormat)) out.push(f as ExportFormat);
  }
  if (out.length === 0) throw bad('--export', `a list of ${EXPORT_FORMATS.join(', ')}`, s);
  return out;
}

/** `Average,P95` or `Average P95` → ['Average', 'P95'] (names are checked by the metrics module). */
export function parseStatsList(s: string): string[] {
  const out = s.split(/[\s,]+/).filter(Boolean);
  if (out.length === 0) throw bad('--stats', "a list like 'Average,Median,P95'", s);
  return out;
}
