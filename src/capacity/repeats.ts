/**
 * `--num-runs N`: the spread of a metric over N runs of the same task.
 * mean; sample standard deviation (n − 1 in the denominator); coefficient of
 * variation CV = sd / |mean| (%); 95 % confidence interval of the mean
 * mean ± t(0.975, n − 1) · sd / √n (Student's t, as vLLM's `--num-runs` and
 * any statistics text, e.g. NIST/SEMATECH e-Handbook §7.2.2.1).
 */

/** Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30 (standard tables). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df); beyond the table the Cornish-Fisher term z + (z³ + z)/(4·df) (1.96 + 2.372/df; 2.039 at 30 vs 2.042). */
export function t975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  return 1.96 + 2.372 / df;
}

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (NaN for n < 2). */
  sd: number;
  /** sd / |mean|, % (NaN when the mean is 0 or n < 2). */
  cvPct: number;
  /** Half-width of the 95 % confidence interval of the mean. */
  ci95: number;
}

export function spread(values: readonly number[]): Spread {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  const mean = n > 0 ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < 2) return { n, mean, sd: NaN, cvPct: NaN, ci95: NaN };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return {
    n,
    mean,
    sd,
    cvPct: mean !== 0 ? (sd * 100) / Math.abs(mean) : NaN,
    ci95: (t975(n - 1) * sd) / Math.sqrt(n),
  };
}

/** `412.3 ± 5.1 ms (95% CI, n=3, CV 1.2%)` with a flag when CV is above the threshold. */
export function formatSpread(s: Spread, unit: string, cvThresholdPct: number): string {
  const d = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2));
  if (s.n < 2) return `${d(s.mean)}${unit ? ' ' + unit : ''} (n=${s.n})`;
  const flag = s.cvPct > cvThresholdPct ? `  ! CV above ${cvThresholdPct}%` : '';
  return `${d(s.mean)} ± ${d(s.ci95)}${unit ? ' ' + unit : ''} (95% CI, n=${s.n}, sd ${d(s.sd)}, CV ${s.cvPct.toFixed(1)}%)${flag}`;
}
