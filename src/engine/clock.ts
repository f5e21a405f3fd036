/**
 * One monotonic clock for every thread of the process.
 *
 * `process.hrtime.bigint()` reads CLOCK_MONOTONIC, which is shared by all
 * threads (and all processes) of the machine, so a timestamp taken in a
 * worker can be subtracted from one taken on the main thread. Returned as
 * milliseconds (double): nanosecond uptime stays exact in a double for ~104 days.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
