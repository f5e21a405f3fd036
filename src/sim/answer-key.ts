/**
 * `sim --answer-key FILE --accuracy P`: the simulator answers a question it
 * finds in FILE correctly with probability P, otherwise wrongly, in the
 * dataset's style, so the accuracy path can be shown without a model:
 * - GSM8K (JSONL whose answers end in `#### n`): a short reasoning, then `#### n`
 *   (wrong: n + 1..9);
 * - multiple choice (a CSV, or a folder of CSVs): the letter (wrong: another letter);
 * - other JSONL {question, answer}: the answer text (wrong: "I do not know.").
 * Questions not in the key get the usual filler text.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CHOICE_LETTERS, loadSamples, type AccuracyKind, type Sample } from '../datasets/accuracy/samples.js';
import { questionCandidates } from '../datasets/accuracy/prompts.js';
import { createRng, type Rng } from './rng.js';

export interface AnswerKey {
  readonly kind: AccuracyKind;
  readonly size: number;
  /** The answer's tokens (each word with its leading space), or null when the question is unknown. */
  answer(body: Record<string, unknown>): string[] | null;
}

/** Key kind from the file: a CSV or a folder = choice; JSONL with `####` answers = gsm8k; else qa. */
function kindOf(file: string): AccuracyKind {
  if (!existsSync(file)) return 'qa';
  if (statSync(file).isDirectory() || file.toLowerCase().endsWith('.csv')) return 'choice';
  const first =
    readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return /####/.test(first) ? 'gsm8k' : 'qa';
}

/** Words with their leading white space: the simulator's tokens. */
export function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function lastUserText(body: Record<string, unknown>): string {
  const msgs = body.messages as Array<{ role?: unknown; content?: unknown }> | undefined;
  if (Array.isArray(msgs)) {
    for (let i = msgs.length - 1; i >= 0; i--) {
      const c = msgs[i]?.content;
      if (msgs[i]?.role === 'user' && typeof c === 'string') return c;
    }
    return '';
  }
  return typeof body.prompt === 'string' ? body.prompt : '';
}

function styled(kind: AccuracyKind, s: Sample, right: boolean, rng: Rng): string {
  if (kind === 'gsm8k') {
    const n = Number(s.reference);
    const v = right ? n : n + rng.int(1, 9);
    return `We work through the quantities in the question one at a time and combine them. The result is ${v}.\n#### ${v}`;
  }
  if (kind === 'choice') {
    if (right) return s.reference;
    const others = CHOICE_LETTERS.filter((l) => l !== s.reference);
    return others[rng.int(0, others.length - 1)] ?? s.reference;
  }
  return right ? s.reference : 'I do not know.';
}

/**
 * Reads the key (throws UsageError naming file and line on a bad file).
 * Whether the k-th ask of a question is answered right depends only on
 * (seed, question, k), not on the order requests arrive in: the same seed
 * gives the same answers to any client at any concurrency, resumed or not.
 */
export function loadAnswerKey(file: string, accuracy: number, seed = 1): AnswerKey {
  const kind = kindOf(file);
  const samples = loadSamples(kind, file);
  const byQuestion = new Map<string, Sample>();
  const asked = new Map<number, number>();
  for (const s of samples) byQuestion.set(s.question.trim(), s);
  const find = (text: string): Sample | undefined => {
    for (const c of questionCandidates(text)) {
      const s = byQuestion.get(c);
      if (s) return s;
    }
    return undefined;
  };
  return {
    kind,
    size: samples.length,
    answer(body) {
      const s = find(lastUserText(body));
      if (!s) return null;
      const k = (asked.get(s.id) ?? 0) + 1;
      asked.set(s.id, k);
      const rng = createRng(mix(seed, s.id, k));
      return words(styled(kind, s, rng.chance(accuracy), rng));
    },
  };
}

/** A 32-bit seed from three integers (FNV-1a over their bytes). */
function mix(a: number, b: number, c: number): number {
  let h = 0x811c9dc5;
  for (const v of [a, b, c]) {
    for (let i = 0; i < 4; i++) {
      h ^= (v >>> (8 * i)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}
