/**
 * gsm8k_gen: GSM8K-format JSONL (`{"question", "answer"}` per line) sent as a
 * 4-shot chain-of-thought prompt. The exemplars below were written for this
 * project (they are not from the GSM8K training set). Chat APIs get the shots
 * as alternating user/assistant messages then the question; completions get
 * one string in the same Question/Answer layout.
 */
import type { ChatMessage, RequestSpec } from '../engine/types.js';
import { emptyError, entryError, makeSpec, parseJsonLines, promptLimit, readDatasetFile } from './read.js';
import type { LoadOptions } from './types.js';

/** Instruction appended to every question, as in AISBench's CoT prompts. */
export const COT_SUFFIX = "\nLet's think step by step\nAnswer:";

/** Four worked examples: question, then a step-by-step answer ending in "The answer is N". */
export const GSM8K_SHOTS: readonly { q: string; a: string }[] = [
  {
    q: 'A baker fills 6 trays with 8 rolls each. She sells 29 rolls in the morning. How many rolls are left?',
    a: 'The trays hold 6 * 8 = 48 rolls. After selling 29, 48 - 29 = 19 rolls are left.\nThe answer is 19',
  },
  {
    q: 'Tom reads 12 pages on Monday and twice as many on Tuesday. His book has 70 pages. How many pages does he still have to read?',
    a: 'On Tuesday he reads 2 * 12 = 24 pages. In total he has read 12 + 24 = 36 pages. He still has 70 - 36 = 34 pages to read.\nThe answer is 34',
  },
  {
    q: 'A bus ticket costs $3 and a train ticket costs $5. A family buys 4 bus tickets and 3 train tickets and pays with a $50 bill. How much change do they get?',
    a: 'The bus tickets cost 4 * 3 = 12 dollars and the train tickets cost 3 * 5 = 15 dollars, so 12 + 15 = 27 dollars in total. The change is 50 - 27 = 23 dollars.\nThe answer is 23',
  },
  {
    q: 'A garden has 5 rows of tulips with 9 tulips in each row. A third of the tulips are red. How many tulips are not red?',
    a: 'There are 5 * 9 = 45 tulips. A third of them, 45 / 3 = 15, are red. So 45 - 15 = 30 tulips are not red.\nThe answer is 30',
  },
];

/** The few-shot prompt for one question, as chat messages. */
export function gsm8kMessages(question: string): ChatMessage[] {
  const msgs: ChatMessage[] = [];
  for (const s of GSM8K_SHOTS) {
    msgs.push({ role: 'user', content: `Question: ${s.q}${COT_SUFFIX}` });
    msgs.push({ role: 'assistant', content: s.a });
  }
  msgs.push({ role: 'user', content: `Question: ${question}${COT_SUFFIX}` });
  return msgs;
}

/** The few-shot prompt for one question, as one completions string. */
export function gsm8kText(question: string): string {
  const shots = GSM8K_SHOTS.map((s) => `Question: ${s.q}${COT_SUFFIX}\n${s.a}\n\n`).join('');
  return `${shots}Question: ${question}${COT_SUFFIX}\n`;
}

export async function loadGsm8k(path: string, opts: LoadOptions): Promise<RequestSpec[]> {
  const where = `gsm8k dataset ${path}`;
  const lines = parseJsonLines(await readDatasetFile(path, 'gsm8k dataset'), where, promptLimit(opts));
  if (lines.length === 0) throw emptyError(path);
  return lines.map(({ line, value }, i) => {
    const q = (value as { question?: unknown } | null)?.question;
    if (typeof q !== 'string' || q.trim() === '')
      throw entryError(where, line, '"question" must be a non-empty string');
    return makeSpec(i, opts.api === 'completions' ? gsm8kText(q) : gsm8kMessages(q), opts.maxOutLen, opts);
  });
}
