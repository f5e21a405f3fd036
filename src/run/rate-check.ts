/**
 * Whether the client keeps up with the requested rate. A scheduled send that
 * waits for a concurrency slot shows as send delay (t0 - sched); when that
 * delay keeps growing the run measures a lower rate than asked. Little's law
 * (L = λ·W: requests in flight = arrival rate × time in the system) gives the
 * concurrency the rate needs: rate (req/s) × mean E2EL (s).
 */
import type { RequestRecord } from '../engine/types.js';

/** A send this late (ms) — and later than 5 schedule gaps — means the run is behind. */
export const BEHIND_MS = 500;

export class RateCheck {
  private n = 0;
  private okN = 0;
  private e2elSumMs = 0;
  private lastDelayMs = 0;
  private maxDelayMs = 0;

  /** @param rateRps the requested rate (0 = all at once: nothing to keep up with); @param cap max concurrency */
  constructor(
    private readonly rateRps: number,
    private readonly cap: number,
  ) {}

  add(r: RequestRecord): void {
    if (r.warmup || !(r.sched >= 0) || !(this.rateRps > 0)) return;
    this.n++;
    this.lastDelayMs = r.t0 - r.sched;
    this.maxDelayMs = Math.max(this.maxDelayMs, this.lastDelayMs);
    if (r.ok && Number.isFinite(r.e2el)) {
      this.okN++;
      this.e2elSumMs += r.e2el;
    }
  }

  /** Concurrency the rate needs by Little's law, from the mean E2EL so far (NaN before a success). */
  neededConcurrency(): number {
    if (this.okN === 0) return NaN;
    return Math.ceil((this.rateRps * this.e2elSumMs) / this.okN / 1000);
  }

  /** One line when the run is behind its schedule, else null. */
  warning(): string | null {
    if (!(this.rateRps > 0) || this.n < 3) return null;
    const gapMs = 1000 / this.rateRps;
    if (this.lastDelayMs < Math.max(BEHIND_MS, 5 * gapMs)) return null;
    const late = `sends are ${(this.lastDelayMs / 1000).toFixed(1)} s behind schedule`;
    const need = this.neededConcurrency();
    const meanS = this.okN ? this.e2elSumMs / this.okN / 1000 : NaN;
    if (Number.isFinite(need) && need > this.cap) {
      return (
        `cannot reach ${this.rateRps} req/s: ${late}; at ${meanS.toFixed(2)} s per request that rate needs about ${need} ` +
        `concurrent requests (--max-concurrency ${this.cap} now)`
      );
    }
    return `cannot reach ${this.rateRps} req/s: ${late} although --max-concurrency ${this.cap} should suffice; the client or the server is saturated`;
  }
}
