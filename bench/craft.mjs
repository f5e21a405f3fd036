// @ts-check
/**
 * Test data, not product code (issue 19: it shipped in src/report/craft.ts):
 * plain JS with JSDoc types so that bench/report.mjs runs it as is and the
 * tests (tsconfig.test.json has allowJs) import it with its types checked.
 */

/** @typedef {import('../src/report/types.js').ReportRecord} ReportRecord */

/**
 * Options of a crafted record set; rates in requests/s, times in ms.
 * @typedef {object} CraftOptions
 * @property {number} [rate] Planned send rate (requests/s); 0 = all at t = 0 with sched = -1. Default 50.
 * @property {number} [failEvery] Every n-th request fails (0 = none). Default 37.
 * @property {number} [seed] Seed of the deterministic generator. Default 1.
 * @property {boolean} [warmup] Add one warmup record (excluded by the reports). Default true.
 */

/**
 * Deterministic, plausible records (Poisson-ish sends, TTFT 40-300 ms, decode
 * 0.2-2.5 s, a slow-client stretch in the middle, a short outage) for tests
 * and bench/report.mjs.
 * @param {number} n
 * @param {CraftOptions} [opts]
 * @returns {ReportRecord[]}
 */
export function craftRecords(n, opts = {}) {
  const rate = opts.rate ?? 50;
  const failEvery = opts.failEvery ?? 37;
  let s = (opts.seed ?? 1) >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  /** @type {ReportRecord[]} */
  const out = [];
  if (opts.warmup ?? true) {
    out.push({ id: 0, warmup: true, ok: true, sched: -1, t0: 0, ttft: 80, e2el: 500, end: 500 });
  }
  let planned = 0;
  for (let i = 0; i < n; i++) {
    if (rate > 0 && i > 0) planned += (-Math.log(1 - rnd()) * 1000) / rate;
    const slow = rate > 0 && i > n * 0.45 && i < n * 0.55 ? 5 + rnd() * 40 : rnd() * 2;
    const t0 = rate > 0 ? planned + slow : rnd() * 5;
    const ttft = 40 + rnd() * 260;
    const e2el = ttft + 200 + rnd() * 2300;
    // A short outage (70-71.5% of the run) and a steady trickle of server errors.
    const outage = failEvery > 0 && i > n * 0.7 && i < n * 0.715;
    if (outage || (failEvery > 0 && i % failEvery === failEvery - 1)) {
      const end = t0 + 50 + rnd() * 1500;
      out.push({
        id: i,
        ok: false,
        code: 'E_HTTP_500',
        message: 'Internal <b>server</b> error',
        sched: rate > 0 ? planned : -1,
        t0,
        ttft: NaN,
        e2el: NaN,
        end,
      });
      continue;
    }
    out.push({ id: i, ok: true, sched: rate > 0 ? planned : -1, t0, ttft, e2el, end: t0 + e2el + rnd() * 3 });
  }
  return out;
}
