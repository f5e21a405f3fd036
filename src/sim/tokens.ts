/**
 * Token accounting of the simulator.
 *
 * Output: every token is one word with a leading space (" the", " tok", ...),
 * so counting the whitespace-separated words of a streamed text gives back
 * its token count exactly.
 *
 * Input: the simulator has no tokenizer. Prompt tokens are approximated as the
 * number of whitespace-separated words of the prompt (for chat: summed over the
 * text of every message). The client's synthetic datasets build a prompt of N
 * tokens as N words, so both sides agree on InputTokens without a tokenizer.
 * A prompt given as token ids (an array of numbers) counts one token per id.
 */

/** The output vocabulary: 8 words, so chunk contents repeat with a short period. */
export const WORDS = [' the', ' a', ' tok', ' of', ' sim', ' and', ' to', ' in'] as const;
export const WORD_PERIOD = WORDS.length;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

/** Number of whitespace-separated words in s. */
export function countWords(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = isSpace(s.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

function countPrompt(prompt: unknown): number {
  if (typeof prompt === 'string') return countWords(prompt);
  if (Array.isArray(prompt)) {
    let n = 0;
    for (const p of prompt) n += typeof p === 'number' ? 1 : countPrompt(p);
    return n;
  }
  return 0;
}

function countContent(content: unknown): number {
  if (typeof content === 'string') return countWords(content);
  if (Array.isArray(content)) {
    let n = 0;
    for (const part of content) {
      if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        n += countWords((part as { text: string }).text);
      }
    }
    return n;
  }
  return 0;
}

/** Prompt tokens of a /v1/completions or /v1/chat/completions body (see the module comment). */
export function promptTokensOf(body: Record<string, unknown>, chat: boolean): number {
  if (!chat) return countPrompt(body.prompt);
  const messages = body.messages;
  if (!Array.isArray(messages)) return 0;
  let n = 0;
  for (const m of messages) {
    if (m && typeof m === 'object') n += countContent((m as { content?: unknown }).content);
  }
  return n;
}

/** Text of output tokens [from, to): words cycle through WORDS by token index. */
export function tokenText(from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += WORDS[i % WORD_PERIOD];
  return s;
}

/** Text of `count` output tokens starting at token 0, built with repeat() so it stays cheap for long outputs. */
export function outputText(count: number): string {
  const full = Math.floor(count / WORD_PERIOD);
  return WORDS.join('').repeat(full) + tokenText(full * WORD_PERIOD, count);
}
