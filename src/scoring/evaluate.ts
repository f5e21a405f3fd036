/**
 * Answer extraction and scoring: small pure functions, one per dataset kind.
 * Each returns what it extracted (null = no answer found) and whether that
 * matches the reference; the results view shows both.
 *
 * References followed:
 * - GSM8K: OpenCompass / AISBench `gsm8k_postprocess` (cut the output at a new
 *   "Question:", take the last number) and `gsm8k_dataset_postprocess` (the
 *   reference is the text after `####`, commas removed); compared numerically.
 * - Multiple choice (MMLU, C-Eval): OpenCompass `first_option_postprocess`
 *   explicit "answer is X" patterns, then a bare leading letter; rules below.
 * - custom_qa: SQuAD v1.1 `normalize_answer` (lower case, drop punctuation,
 *   drop the articles a/an/the, collapse white space), then exact match.
 */

import { NUMBER, canonicalNumber } from '../datasets/accuracy/gsm8k-number.js';

export interface Judgement {
  /** What the evaluator read from the output; null = no answer. */
  extracted: string | null;
  correct: boolean;
}

// ---------------------------------------------------------------- GSM8K

/**
 * The answer of a GSM8K output: text after a new "Question:" is dropped (a
 * completions model that goes on inventing questions); if the output has
 * `####`, only what follows the last one counts; then the LAST number.
 * "$1,200.00" → "1200", "18 dollars" → "18", "-3" → "-3".
 */
export function gsm8kExtract(output: string): string | null {
  let text = output.split('Question:', 1)[0] ?? '';
  const hashes = text.lastIndexOf('####');
  if (hashes >= 0) text = text.slice(hashes + 4);
  const last = text.match(NUMBER)?.at(-1);
  return last === undefined ? null : canonicalNumber(last);
}

/** Numeric equality within 1e-6 (so "18.0" equals "18"). */
export function gsm8kJudge(output: string, reference: string): Judgement {
  const extracted = gsm8kExtract(output);
  const ref = Number(reference);
  const correct = extracted !== null && Number.isFinite(ref) && Math.abs(Number(extracted) - ref) < 1e-6;
  return { extracted, correct };
}

// ---------------------------------------------------------------- multiple choice

/**
 * The option letter of a multiple-choice output, by these rules (first that applies):
 * 1. An explicit statement: "answer is B", "answer: (B)", "Answer - B", "option B",
 *    "答案是B", "答案：B", "选B" — the LAST such statement counts (a model that
 *    corrects itself).
 * 2. The output starts with a letter standing alone: "B", "B.", "(B)", "B) because…", "**B**".
 * 3. Exactly one distinct option letter stands alone anywhere in the output
 *    ("I pick C."); two or more ("A or B") is no answer.
 * Letters are upper case only (the word "a" is not option A).
 */
export function choiceExtract(output: string, letters = 'ABCD'): string | null {
  const L = `[${letters}]`;
  const explicit = new RegExp(
    `(?:answer\\s*(?:is|:|-|=)?\\s*(?:option\\s*)?|option\\s+|答案\\s*(?:是|为|:|：)?\\s*(?:选项)?|选(?:项)?\\s*)[\\(\\[（*\\s]*(${L})(?![A-Za-z])`,
    'gi',
  );
  let last: string | null = null;
  for (const m of output.matchAll(explicit)) {
    const c = m[1];
    if (c !== undefined && c === c.toUpperCase()) last = c;
  }
  if (last) return last;
  const lead = new RegExp(`^[\\s(\\[（*]*(${L})(?![A-Za-z])`).exec(output);
  if (lead?.[1]) return lead[1];
  const alone = new Set<string>();
  for (const m of output.matchAll(new RegExp(`(?<![A-Za-z])(${L})(?![A-Za-z])`, 'g'))) if (m[1]) alone.add(m[1]);
  const [only, ...more] = alone;
  return only !== undefined && more.length === 0 ? only : null;
}

export function choiceJudge(output: string, reference: string, letters = 'ABCD'): Judgement {
  const extracted = choiceExtract(output, letters);
  return { extracted, correct: extracted !== null && extracted === reference.trim().toUpperCase() };
}

// ---------------------------------------------------------------- custom QA

/** SQuAD v1.1 normalize_answer, plus NFKC so full-width text compares equal. */
export function normalizeAnswer(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Exact match after normalisation. With `regex` (from the dataset config),
 * the answer is its first capture group (or the whole match) in the output;
 * no match = no answer.
 */
export function qaJudge(output: string, reference: string, regex?: RegExp): Judgement {
  let extracted: string | null = output.trim();
  if (regex) {
    const m = regex.exec(output);
    extracted = m ? (m[1] ?? m[0]).trim() : null;
  }
  if (extracted === '') extracted = null;
  const correct = extracted !== null && normalizeAnswer(extracted) === normalizeAnswer(reference);
  return { extracted, correct };
}
