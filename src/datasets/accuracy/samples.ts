/**
 * Accuracy datasets: the questions and their reference answers (dataset code:
 * the accuracy modes, the simulator's answer key and the perf loader read them).
 * - gsm8k: JSONL {question, answer}; the reference is the number after `####`.
 * - choice (mmlu, ceval): CSV `question,A,B,C,D,answer` (a header row naming
 *   those columns is used when present, extra columns like C-Eval's id and
 *   explanation are ignored), or a folder of such files merged into one
 *   dataset, each file a subject (`abstract_algebra_test.csv` → abstract_algebra).
 * - qa (custom_qa): JSONL {question, answer}.
 * Every problem is one line naming the file and line (UsageError, exit 2).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../../core/errors.js';
import { gsm8kReference } from './gsm8k-number.js';

export type AccuracyKind = 'gsm8k' | 'choice' | 'qa';

export interface Sample {
  /** Index in the merged dataset (stable id in predictions). */
  id: number;
  question: string;
  /** GSM8K: the number; choice: the letter; qa: the answer text. */
  reference: string;
  /** Multiple choice: the option texts, keyed by letter. */
  options?: Record<string, string>;
  /** Multiple choice: the subject (file name) the question came from. */
  subject?: string;
}

export const CHOICE_LETTERS = ['A', 'B', 'C', 'D'] as const;

function fail(file: string, line: number, msg: string): UsageError {
  return new UsageError(`dataset ${file}: line ${line}: ${msg}`, 'E_DATASET');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `dataset ${file}: ${code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? 'error'})`}`,
      'E_DATASET',
    );
  }
}

function jsonl(file: string, kind: 'gsm8k' | 'qa', limit: number): Sample[] {
  const out: Sample[] = [];
  const lines = readText(file).split('\n');
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    const s = lines[i]!.trim();
    if (s === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      throw fail(file, i + 1, 'invalid JSON');
    }
    const o = v as { question?: unknown; answer?: unknown } | null;
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      throw fail(file, i + 1, 'expected a JSON object {"question", "answer"}');
    if (typeof o.question !== 'string' || o.question.trim() === '')
      throw fail(file, i + 1, 'missing "question" (a non-empty string)');
    if (o.answer === undefined || o.answer === null) throw fail(file, i + 1, 'missing "answer"');
    if (typeof o.answer !== 'string' && typeof o.answer !== 'number')
      throw fail(file, i + 1, '"answer" must be a string or a number');
    let reference = String(o.answer);
    if (kind === 'gsm8k') {
      const r = gsm8kReference(reference);
      if (r === null) throw fail(file, i + 1, '"answer" has no "#### <number>"');
      reference = r;
    }
    out.push({ id: out.length, question: o.question, reference });
  }
  return out;
}

/** `abstract_algebra_test.csv` → `abstract_algebra` (MMLU's and C-Eval's _test/_val/_dev suffixes). */
export function subjectOf(file: string): string {
  return path.basename(file, path.extname(file)).replace(/_(test|val|dev)$/, '');
}

function csvFile(file: string, startId: number, limit: number): Sample[] {
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(readText(file), {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw fail(
      file,
      err.lines ?? 0,
      `malformed CSV (${(err.message.split('\n', 1)[0] ?? '').replace(/^Invalid [^:]*: /, '')})`,
    );
  }
  const first = rows[0]?.record.map((c) => c.trim().toLowerCase()) ?? [];
  const header = first.includes('question') && first.includes('answer');
  const col = (name: string, pos: number) => (header ? first.indexOf(name.toLowerCase()) : pos);
  const cq = col('question', 0);
  const copts = CHOICE_LETTERS.map((l, i) => col(l, i + 1));
  const cans = col('answer', 5);
  if (copts.some((c) => c < 0)) throw fail(file, 1, 'header needs columns question,A,B,C,D,answer');
  const need = Math.max(cq, cans, ...copts) + 1;
  const out: Sample[] = [];
  const subject = subjectOf(file);
  for (const { record, info } of header ? rows.slice(1) : rows) {
    if (out.length >= limit) break;
    const line = info.lines;
    if (record.length < need)
      throw fail(file, line, `expected ${need} columns (question,A,B,C,D,answer), got ${record.length}`);
    const question = (record[cq] ?? '').trim();
    if (question === '') throw fail(file, line, 'empty question');
    const answer = (record[cans] ?? '').trim();
    if (answer === '') throw fail(file, line, 'missing answer');
    const letter = answer.toUpperCase();
    if (!(CHOICE_LETTERS as readonly string[]).includes(letter)) {
      throw fail(file, line, `unknown answer letter ${JSON.stringify(answer)} (expected A, B, C or D)`);
    }
    const options: Record<string, string> = {};
    CHOICE_LETTERS.forEach((l, i) => (options[l] = record[copts[i]!]!.trim()));
    out.push({ id: startId + out.length, question, reference: letter, options, subject });
  }
  return out;
}

function choice(p: string, limit: number): Sample[] {
  let files = [p];
  try {
    if (statSync(p).isDirectory()) {
      files = readdirSync(p)
        .filter((f) => f.toLowerCase().endsWith('.csv'))
        .sort()
        .map((f) => path.join(p, f));
      if (files.length === 0) throw new UsageError(`dataset ${p}: folder has no .csv files`, 'E_DATASET');
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`dataset ${p}: not found`, 'E_DATASET');
  }
  const out: Sample[] = [];
  for (const f of files) {
    if (out.length >= limit) break;
    out.push(...csvFile(f, out.length, limit - out.length));
  }
  return out;
}

/** Loads a dataset's samples; `limit` = --num-prompts (first N of the merged dataset). */
export function loadSamples(kind: AccuracyKind, file: string, limit = Infinity): Sample[] {
  if (!file) throw new UsageError('accuracy dataset needs a file: give --dataset-path', 'E_DATASET');
  const samples = kind === 'choice' ? choice(file, limit) : jsonl(file, kind, limit);
  if (samples.length === 0) throw new UsageError(`dataset ${file} is empty`, 'E_DATASET');
  return samples;
}
