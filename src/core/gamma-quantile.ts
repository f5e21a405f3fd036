/**
 * Quantile function of the Gamma(shape, 1) distribution, for stratified
 * sampling of arrival gaps (see arrival.ts). Pure numerics: Lanczos log-gamma,
 * the regularized lower incomplete gamma P(a, x) by series or continued
 * fraction, and a safeguarded Newton inversion.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  LANCZOS.forEach((l, i) => (a += l / (x + i + 1)));
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPre = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: P = e^-x x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lnPre));
  }
  // Continued fraction for Q = 1 - P (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lnPre) * h);
}

/** x such that P(shape, x) = p, for p in (0, 1); Gamma(shape, scale 1). */
export function gammaQuantile(shape: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Infinity;
  if (shape === 1) return -Math.log1p(-p);
  // Start from the small-x series head P ≈ x^a / Γ(a+1) in the lower tail, else
  // from Wilson-Hilferty; then Newton steps inside a bracket, bisecting when a
  // step leaves it. Tolerances are relative: lower-tail quantiles can be ~1e-60.
  const lnG = logGamma(shape);
  const head = Math.exp((Math.log(p) + logGamma(shape + 1)) / shape);
  let x: number;
  if (head < shape * 0.5) x = head;
  else {
    const z = normalQuantile(p);
    const c = 1 / (9 * shape);
    x = Math.max(1e-8, shape * Math.pow(1 - c + z * Math.sqrt(c), 3));
  }
  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < 200; i++) {
    const f = gammaP(shape, x) - p;
    if (Math.abs(f) <= 1e-14 * p) break;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp((shape - 1) * Math.log(x) - x - lnG);
    let next = pdf > 0 ? x - f / pdf : NaN;
    if (!(next > lo && next < hi)) next = hi === Infinity ? x * 2 : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}

/** Standard normal quantile (Acklam's rational approximation, ~1e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ] as const;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
