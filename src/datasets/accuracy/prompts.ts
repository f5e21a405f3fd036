/**
 * The prompt of each accuracy sample, and the reverse: the candidate
 * question texts inside a prompt (the simulator's answer key finds the
 * question a request asks with these).
 */
import type { ChatMessage, RequestSpec } from '../../engine/types.js';
import { COT_SUFFIX, gsm8kMessages, gsm8kText } from '../gsm8k.js';
import { makeSpec } from '../read.js';
import type { LoadOptions } from '../types.js';
import type { AccuracyKind, Sample } from './samples.js';

/** MMLU-style zero-shot prompt (as OpenCompass's mmlu_gen): the header, the question, the options, "Answer:". */
export function choicePrompt(s: Sample): string {
  const about = s.subject ? ` about ${s.subject.replace(/_/g, ' ')}` : '';
  const opts = Object.entries(s.options ?? {})
    .map(([l, t]) => `${l}. ${t}`)
    .join('\n');
  return `The following is a multiple choice question${about}. Answer with the letter of the correct option.\n\n${s.question}\n${opts}\nAnswer:`;
}

/** Chat messages (or a completions string) for a sample. */
export function samplePrompt(kind: AccuracyKind, s: Sample, completions: boolean): ChatMessage[] | string {
  if (kind === 'gsm8k') return completions ? gsm8kText(s.question) : gsm8kMessages(s.question);
  const text = kind === 'choice' ? choicePrompt(s) : s.question;
  return completions ? text : [{ role: 'user', content: text }];
}

/**
 * A sample as request `id`: its prompt in the shape `completions` asks for,
 * for `opts.api`. The one spelling of it for the perf loader (datasets/index.ts)
 * and the accuracy modes (accuracy/infer.ts).
 */
export function sampleSpec(
  id: number,
  kind: AccuracyKind,
  s: Sample,
  completions: boolean,
  opts: LoadOptions,
): RequestSpec {
  return makeSpec(id, samplePrompt(kind, s, completions), opts.maxOutLen, opts);
}

/**
 * Texts that may be the question of a prompt's last user turn: the whole
 * text, what follows the last "Question: " (GSM8K shots), the paragraph
 * before the options (multiple choice), trimmed and cut before the CoT suffix.
 */
export function questionCandidates(text: string): string[] {
  const out = new Set<string>();
  const add = (s: string): void => {
    let t = s;
    for (const stop of [COT_SUFFIX, "\nLet's think", '\nA. ']) {
      const at = t.indexOf(stop);
      if (at >= 0) t = t.slice(0, at);
    }
    t = t.trim();
    if (t) out.add(t);
  };
  add(text);
  const q = text.lastIndexOf('Question: ');
  if (q >= 0) add(text.slice(q + 'Question: '.length));
  const a = text.indexOf('\nA. ');
  if (a >= 0) {
    const before = text.slice(0, a);
    add(before.slice(before.lastIndexOf('\n\n') + 1));
  }
  return [...out];
}
