/**
 * The eval phase of one task: read its predictions, judge every sample,
 * compute the metrics and write `results/<abbr>/<dataset>.json`.
 *
 * Metrics (percentages, see metrics.ts for the definitions and references):
 * - one sample per question: `accuracy` = right answers / questions;
 * - n > 1 samples: `avg@n`, `pass@1`, `pass@n` and `cons@n`.
 * A question without a prediction, or whose request failed, counts as wrong
 * (its denominator is the dataset, not the answers that came back).
 * Multiple choice adds the same metrics per subject (`<dataset>/<subject>` rows).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunLayout } from '../core/run-layout.js';
import { choiceJudge, gsm8kJudge, qaJudge, type Judgement } from './evaluate.js';
import { avgAtN, consensus, passAtK, percent, type Vote } from './metrics.js';
import { predKey, readPredictions } from './predictions.js';
import type { AccuracyKind, Sample } from '../datasets/accuracy/samples.js';

export interface SampleScore {
  sample: number;
  replica: number;
  /** 'ok' = answered; 'failed' = the request failed; 'missing' = no prediction. */
  state: 'ok' | 'failed' | 'missing';
  extracted: string | null;
  correct: boolean;
  reference: string;
  subject?: string;
  /** Failure code of a failed request. */
  code?: string;
}

export interface MetricRow {
  /** `demo_gsm8k`, or `mmlu/astronomy` for a subject. */
  dataset: string;
  metric: string;
  /** Percent. */
  value: number;
}

export interface AccuracyResult {
  abbr: string;
  dataset: string;
  kind: AccuracyKind;
  /** First 6 hex digits of the SHA-256 of the questions and references (the summary's `version`). */
  version: string;
  numReturn: number;
  metrics: MetricRow[];
  counts: { questions: number; expected: number; answered: number; failed: number; missing: number; torn: number };
  scores: SampleScore[];
}

export function judge(kind: AccuracyKind, output: string, reference: string, regex?: RegExp): Judgement {
  if (kind === 'gsm8k') return gsm8kJudge(output, reference);
  if (kind === 'choice') return choiceJudge(output, reference);
  return qaJudge(output, reference, regex);
}

export function datasetVersion(samples: readonly Sample[]): string {
  const h = createHash('sha256');
  for (const s of samples) h.update(`${s.question}\u0000${s.reference}\u0000`);
  return h.digest('hex').slice(0, 6);
}

/** Metric rows of a group of questions, each with its n scores. */
function groupMetrics(name: string, byQuestion: SampleScore[][], n: number): MetricRow[] {
  const correct = byQuestion.map((q) => q.map((s) => s.correct));
  if (n === 1) return [{ dataset: name, metric: 'accuracy', value: percent(correct.map((c) => (c[0] ? 1 : 0))) }];
  const count = (c: boolean[]) => c.filter(Boolean).length;
  return [
    { dataset: name, metric: `avg@${n}`, value: percent(correct.map(avgAtN)) },
    { dataset: name, metric: 'pass@1', value: percent(correct.map((c) => passAtK(n, count(c), 1))) },
    { dataset: name, metric: `pass@${n}`, value: percent(correct.map((c) => passAtK(n, count(c), n))) },
    {
      dataset: name,
      metric: `cons@${n}`,
      value: percent(
        byQuestion.map((q) =>
          consensus(q.map((s): Vote => ({ extracted: s.extracted, correct: s.correct }))).correct ? 1 : 0,
        ),
      ),
    },
  ];
}

export interface EvalInput {
  runDir: string;
  abbr: string;
  dataset: string;
  kind: AccuracyKind;
  samples: Sample[];
  numReturn: number;
  regex?: RegExp;
}

/** A task's predictions file in a run folder (the name: core/run-layout.ts). */
export function predictionsPath(runDir: string, abbr: string, dataset: string): string {
  return path.join(runDir, RunLayout.predictionsFile(abbr, dataset));
}

/** A task's results file in a run folder (the name: core/run-layout.ts). */
export function resultsPath(runDir: string, abbr: string, dataset: string): string {
  return path.join(runDir, RunLayout.resultsFile(abbr, dataset));
}

export function evaluateTask(inp: EvalInput): AccuracyResult {
  const preds = readPredictions(predictionsPath(inp.runDir, inp.abbr, inp.dataset));
  const n = inp.numReturn;
  const byQuestion: SampleScore[][] = [];
  let failed = 0;
  let missing = 0;
  for (const s of inp.samples) {
    const q: SampleScore[] = [];
    for (let r = 0; r < n; r++) {
      const p = preds.latest.get(predKey(s.id, r));
      const base = { sample: s.id, replica: r, reference: s.reference, ...(s.subject ? { subject: s.subject } : {}) };
      if (!p) {
        missing++;
        q.push({ ...base, state: 'missing', extracted: null, correct: false });
      } else if (!p.ok) {
        failed++;
        q.push({ ...base, state: 'failed', extracted: null, correct: false, code: p.code });
      } else {
        q.push({ ...base, state: 'ok', ...judge(inp.kind, p.output, s.reference, inp.regex) });
      }
    }
    byQuestion.push(q);
  }
  const metrics = groupMetrics(inp.dataset, byQuestion, n);
  if (inp.kind === 'choice') {
    const subjects = [...new Set(inp.samples.map((s) => s.subject ?? ''))].filter(Boolean);
    for (const sub of subjects) {
      metrics.push(
        ...groupMetrics(
          `${inp.dataset}/${sub}`,
          byQuestion.filter((q) => q[0]!.subject === sub),
          n,
        ),
      );
    }
  }
  const expected = inp.samples.length * n;
  return {
    abbr: inp.abbr,
    dataset: inp.dataset,
    kind: inp.kind,
    version: datasetVersion(inp.samples),
    numReturn: n,
    metrics,
    counts: {
      questions: inp.samples.length,
      expected,
      answered: expected - failed - missing,
      failed,
      missing,
      torn: preds.torn,
    },
    scores: byQuestion.flat(),
  };
}

export function writeResult(runDir: string, r: AccuracyResult): string {
  const file = resultsPath(runDir, r.abbr, r.dataset);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(r, null, 1) + '\n');
  return file;
}
