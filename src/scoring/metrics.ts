/**
 * Scores over repeated samples of one question, and their dataset means.
 * All return fractions in [0, 1]; the summary shows them ×100.
 *
 * - pass@k: the unbiased estimator of Chen et al. 2021 ("Evaluating Large
 *   Language Models Trained on Code", eq. 1; as in AISBench/OpenCompass):
 *   with n samples of which c are correct, 1 - C(n-c, k) / C(n, k), computed
 *   as the product 1 - Π_{i=n-c+1..n} (1 - k/i) to stay exact for large n.
 * - avg@n: c / n (the mean accuracy of the n runs).
 * - cons@n: majority vote (self-consistency, Wang et al. 2022): the most
 *   frequent extracted answer among the n (no answer does not vote; a tie
 *   goes to the answer that appeared first) is scored; all-null = wrong.
 */

export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new Error(`pass@${k} needs at least ${k} samples (got ${n})`);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

export function avgAtN(correct: readonly boolean[]): number {
  if (correct.length === 0) return 0;
  return correct.filter(Boolean).length / correct.length;
}

/** One sample's vote: its extracted answer and whether that answer is right. */
export interface Vote {
  extracted: string | null;
  correct: boolean;
}

/** The winning answer of a majority vote (null when nobody answered) and whether it is right. */
export function consensus(votes: readonly Vote[]): Vote {
  const tally = new Map<string, { n: number; correct: boolean }>();
  for (const v of votes) {
    if (v.extracted === null) continue;
    const t = tally.get(v.extracted);
    if (t) t.n++;
    else tally.set(v.extracted, { n: 1, correct: v.correct });
  }
  let best: Vote = { extracted: null, correct: false };
  let bestN = 0;
  // Map keeps insertion order: on a tie the earlier answer stays.
  for (const [answer, t] of tally) {
    if (t.n > bestN) {
      best = { extracted: answer, correct: t.correct };
      bestN = t.n;
    }
  }
  return best;
}

/** Mean of per-question values ×100 (a percentage), 0 when there are none. */
export function percent(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return (100 * s) / values.length;
}
