/**
 * How a number is read in GSM8K text. The dataset's reference answer (the
 * number after `####`) and the scorer's extraction from a model's output
 * (scoring/evaluate.ts) must read numbers the same way, so both use these.
 *
 * Reference followed: OpenCompass / AISBench `gsm8k_dataset_postprocess`
 * (the reference is the text after `####`, commas removed).
 */

/** Numbers with optional sign, thousands commas and decimals: -1,234.5 → "-1234.5". */
export const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;

/** "1,234.50" → "1234.5"; a string that is not a finite number is returned as it is. */
export function canonicalNumber(s: string): string {
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? String(n) : s;
}

/** The number a GSM8K reference gives after its last `####` (commas removed); null when none. */
export function gsm8kReference(answer: string): string | null {
  const at = answer.lastIndexOf('####');
  if (at < 0) return null;
  const m = answer.slice(at + 4).match(NUMBER);
  return m ? canonicalNumber(m[0]) : null;
}
