/**
 * Parsers for option values, shared by every command's flags (cli/, and the
 * compare command in capacity/). Each throws a UsageError whose one line
 * names the option and echoes what was given, e.g.
 * `--max-concurrency must be a positive integer (got "abc")`.
 * Option-specific ones (--url, --export) live in cli/option-values.ts.
 */
import { UsageError } from './errors.js';
import { toNumber } from './number.js';

export const badValue = (flag: string, what: string, got: string): UsageError =>
  new UsageError(`${flag} must be ${what} (got ${JSON.stringify(got)})`);

export const positiveInt =
  (flag: string) =>
  (s: string): number => {
    const n = toNumber(s);
    if (n === undefined || !Number.isInteger(n) || n < 1) throw badValue(flag, 'a positive integer', s);
    return n;
  };

export const nonNegInt =
  (flag: string) =>
  (s: string): number => {
    const n = toNumber(s);
    if (n === undefined || !Number.isInteger(n) || n < 0) throw badValue(flag, 'an integer ≥ 0', s);
    return n;
  };

export const nonNegNumber =
  (flag: string) =>
  (s: string): number => {
    const n = toNumber(s);
    if (n === undefined || n < 0) throw badValue(flag, 'a number ≥ 0', s);
    return n;
  };

export const positiveNumber =
  (flag: string) =>
  (s: string): number => {
    const n = toNumber(s);
    if (n === undefined || n <= 0) throw badValue(flag, 'a number > 0', s);
    return n;
  };

/** Node timers hold at most 2^31-1 ms; a larger duration would fire after 1 ms. */
export const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);

/** A duration in seconds a timer can hold: 0..MAX_TIMER_S (> 0 when `positive`). */
export const timerSeconds =
  (flag: string, positive = false) =>
  (s: string): number => {
    const n = toNumber(s);
    const what = `a number of seconds in ${positive ? '(0' : '[0'}, ${MAX_TIMER_S}] (the longest a timer holds, about 24.8 days)`;
    if (n === undefined || n < 0 || (positive && n === 0) || n > MAX_TIMER_S) throw badValue(flag, what, s);
    return n;
  };

/** Names given as `a b`, `a,b` or repeated options all end up in one list. */
export const nameList = (s: string, prev: string[] | undefined): string[] => [
  ...(prev ?? []),
  ...s.split(/[\s,]+/).filter(Boolean),
];

/** `Average,P95` or `Average P95` → ['Average', 'P95'] (names are checked by the metrics module). */
export function parseStatsList(s: string): string[] {
  const out = s.split(/[\s,]+/).filter(Boolean);
  if (out.length === 0) throw badValue('--stats', "a list like 'Average,Median,P95'", s);
  return out;
}
