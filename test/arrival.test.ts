import { describe, expect, it } from 'vitest';
import { arrivalFromModel, buildSchedule, validateArrival, type ArrivalSpec } from '../src/engine/arrival.js';
import { parseRampUp, rampRate } from '../src/core/ramp.js';
import { UsageError } from '../src/core/errors.js';

function gaps(s: Float64Array): number[] {
  const g: number[] = [];
  for (let i = 1; i < s.length; i++) g.push(s[i]! - s[i - 1]!);
  return g;
}
function meanCv(g: number[]): { mean: number; cv: number } {
  const mean = g.reduce((a, b) => a + b, 0) / g.length;
  const v = g.reduce((a, b) => a + (b - mean) ** 2, 0) / (g.length - 1);
  return { mean, cv: Math.sqrt(v) / mean };
}
/** Requests per second over requests [from, to] of the schedule. */
function rateOver(s: Float64Array, from: number, to: number): number {
  return (to - from) / ((s[to]! - s[from]!) / 1000);
}

describe('buildSchedule', () => {
  it('β = 1 at 40 req/s: mean gap within 5 % of 25 ms, CV within 10 % of 1', () => {
    const s = buildSchedule(400, { requestRate: 40, burstiness: 1, seed: 42 });
    expect(s[0]).toBe(0);
    const { mean, cv } = meanCv(gaps(s));
    expect(Math.abs(mean - 25) / 25).toBeLessThan(0.05);
    expect(Math.abs(cv - 1)).toBeLessThan(0.1);
  });

  it('gamma gaps keep mean 1/rate and CV 1/√β over many draws', () => {
    for (const beta of [0.25, 1, 4]) {
      const { mean, cv } = meanCv(gaps(buildSchedule(40001, { requestRate: 40, burstiness: beta, seed: 7 })));
      expect(Math.abs(mean - 25) / 25).toBeLessThan(0.03);
      expect(Math.abs(cv - 1 / Math.sqrt(beta)) / (1 / Math.sqrt(beta))).toBeLessThan(0.03);
    }
  });

  it('β = 0 or unset: every gap exactly 25 ms', () => {
    for (const spec of [{ requestRate: 40, burstiness: 0 }, { requestRate: 40 }] as ArrivalSpec[]) {
      const s = buildSchedule(400, spec);
      expect(s[0]).toBe(0);
      for (const g of gaps(s)) expect(g).toBeCloseTo(25, 9);
    }
  });

  it('below 0.001 req/s: all at once', () => {
    expect([...buildSchedule(5, { requestRate: 0 })]).toEqual([0, 0, 0, 0, 0]);
    expect([...buildSchedule(3, { requestRate: 0.0009, burstiness: 1 })]).toEqual([0, 0, 0]);
  });

  it('linear ramp 10→50: first and last quarter rates within 10 % of target', () => {
    const n = 400;
    for (const burstiness of [0, 1]) {
      const s = buildSchedule(n, {
        requestRate: 0,
        burstiness,
        seed: 3,
        rampUp: { strategy: 'linear', startRps: 10, endRps: 50 },
      });
      // Target = the ramp's rate at the middle of each quarter (by request index).
      expect(Math.abs(rateOver(s, 0, n / 4) - 15) / 15).toBeLessThan(0.1);
      expect(Math.abs(rateOver(s, (3 * n) / 4, n - 1) - 45) / 45).toBeLessThan(0.1);
    }
  });

  it('exponential ramp 5→80: rates follow start·(end/start)^p', () => {
    const n = 400;
    const ramp = { strategy: 'exponential', startRps: 5, endRps: 80 } as const;
    const s = buildSchedule(n, { requestRate: 0, rampUp: ramp });
    expect(rampRate(ramp, 0.5)).toBeCloseTo(20, 9);
    for (const [a, b] of [
      [0, 100],
      [150, 250],
      [300, 399],
    ] as const) {
      const target = rampRate(ramp, (a + b) / 2 / (n - 1));
      expect(Math.abs(rateOver(s, a, b) - target) / target).toBeLessThan(0.1);
    }
  });

  it('same seed → same schedule; another seed → another', () => {
    const spec = { requestRate: 40, burstiness: 0.5 };
    const a = buildSchedule(200, { ...spec, seed: 11 });
    expect(buildSchedule(200, { ...spec, seed: 11 })).toEqual(a);
    expect(buildSchedule(200, { ...spec, seed: 12 })).not.toEqual(a);
  });

  it('replays timestamps relative to the first', () => {
    const s = buildSchedule(3, { requestRate: 10, timestamps: [1000, 1000, 1250.5, 2000] });
    expect([...s]).toEqual([0, 0, 250.5]);
    expect(() => buildSchedule(5, { requestRate: 0, timestamps: [1, 2] })).toThrow(UsageError);
  });
});

describe('validateArrival', () => {
  const bad: [string, ArrivalSpec][] = [
    ['negative rate', { requestRate: -1 }],
    ['negative burstiness', { requestRate: 10, burstiness: -0.5 }],
    ['ramp with rate', { requestRate: 10, rampUp: { strategy: 'linear', startRps: 1, endRps: 5 } }],
    ['ramp start 0', { requestRate: 0, rampUp: { strategy: 'exponential', startRps: 0, endRps: 5 } }],
    ['ramp end < 0', { requestRate: 0, rampUp: { strategy: 'linear', startRps: 1, endRps: -5 } }],
    ['ramp with trace', { requestRate: 0, timestamps: [0, 1], rampUp: { strategy: 'linear', startRps: 1, endRps: 5 } }],
    ['decreasing timestamps', { requestRate: 0, timestamps: [0, 5, 4] }],
  ];
  for (const [name, spec] of bad) {
    it(`rejects ${name} with one line`, () => {
      expect(() => validateArrival(spec)).toThrow(UsageError);
      try {
        validateArrival(spec);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    });
  }

  it('parses --ramp-up and maps model task fields', () => {
    expect(parseRampUp('exponential:2:64')).toEqual({ strategy: 'exponential', startRps: 2, endRps: 64 });
    expect(() => parseRampUp('linear:0:5')).toThrow(UsageError);
    expect(() => parseRampUp('steps:1:5')).toThrow(UsageError);
    const spec = arrivalFromModel(
      {
        request_rate: 0,
        use_timestamp: false,
        traffic_cfg: { burstiness: 1, ramp_up_strategy: 'linear', ramp_up_start_rps: 1, ramp_up_end_rps: 9 },
      },
      { seed: 5 },
    );
    expect(spec).toEqual({
      requestRate: 0,
      seed: 5,
      burstiness: 1,
      rampUp: { strategy: 'linear', startRps: 1, endRps: 9 },
    });
    expect(() =>
      arrivalFromModel({ request_rate: 0, use_timestamp: false, traffic_cfg: { ramp_up_strategy: 'linear' } }),
    ).toThrow(UsageError);
    expect(() => arrivalFromModel({ request_rate: 0, use_timestamp: true, traffic_cfg: {} })).toThrow(/trace/);
  });
});

describe('gammaQuantile', () => {
  it('inverts the gamma CDF', async () => {
    const { gammaQuantile, gammaP } = await import('../src/core/gamma-quantile.js');
    expect(gammaQuantile(1, 0.5)).toBeCloseTo(Math.LN2, 12);
    for (const a of [0.1, 0.5, 2, 7.5, 50]) {
      for (const p of [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999999]) {
        const x = gammaQuantile(a, p);
        expect(Math.abs(gammaP(a, x) - p) / p).toBeLessThan(1e-9);
      }
    }
  });
});
