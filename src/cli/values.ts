/**
 * Parsers for option values. Each throws a UsageError whose one line names
 * the option and echoes what was given, e.g.
 * `--max-concurrency must be a positive integer (got "abc")`.
 */
import { UsageError } from '../core/errors.js';
import { checkUrl } from '../config/schema.js';
import { toNumber } from '../core/number.js';
import { EXPORT_FORMATS, type ExportFormat } from './options.js';

const bad = (flag: string, what: string, got: string) =>
  new UsageError(`${flag} must be ${what} (got ${JSON.stringify(got)})`);

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

/** One parser for --slo and the config files: core/slo.ts. */
export { parseSlo } from '../core/slo.js';

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
