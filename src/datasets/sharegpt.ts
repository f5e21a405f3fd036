/**
 * sharegpt: multi-turn conversations, a JSON array or JSONL of
 * `{"conversations": [{"from": "human"|"gpt"|"system", "value"}]}` (also
 * `{"messages": [{"role", "content"}]}`). Each user message is a turn; its
 * max_tokens is the length in words of the recorded answer that follows it
 * (capped by max_out_len), or max_out_len when there is none. The recorded
 * answers are not sent: the engine appends the server's own answers.
 */
import type { ChatMessage, RequestSpec } from '../engine/types.js';
import { countWords } from './words.js';
import { UsageError } from '../core/errors.js';
import { emptyError, makeSpec, parseJsonLines, promptLimit, readDatasetFile, type Line } from './read.js';
import type { LoadOptions } from './types.js';

const ROLE: Record<string, ChatMessage['role']> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  chatgpt: 'assistant',
  assistant: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  system: 'system',
};

export async function loadShareGpt(path: string, opts: LoadOptions): Promise<RequestSpec[][]> {
  const where = `sharegpt dataset ${path}`;
  const limit = promptLimit(opts);
  const text = await readDatasetFile(path, 'sharegpt dataset');
  const isArray = text.trimStart().startsWith('[');
  const items = isArray ? parseArray(text, where) : parseJsonLines(text, where);
  const convs: RequestSpec[][] = [];
  for (const { line, value } of items) {
    if (convs.length >= limit) break;
    const loc = `${where}: ${isArray ? 'entry' : 'line'} ${line}`;
    const turns = toTurns(messagesOf(value, loc), convs.length, opts);
    if (turns.length > 0) convs.push(turns);
  }
  if (convs.length === 0) throw emptyError(path);
  return convs;
}

function parseArray(text: string, where: string): Line[] {
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: invalid JSON (${String((e as Error).message).split('\n')[0]})`, 'E_DATASET');
  }
  if (!Array.isArray(arr)) throw new UsageError(`${where}: expected a JSON array of conversations`, 'E_DATASET');
  // A JSON array has no per-entry line numbers: errors name the entry index instead.
  return arr.map((value: unknown, i) => ({ line: i + 1, value }));
}

function messagesOf(v: unknown, loc: string): ChatMessage[] {
  const o = v as { conversations?: unknown; messages?: unknown } | null;
  const raw = o?.conversations ?? o?.messages;
  if (!Array.isArray(raw))
    throw new UsageError(`${loc}: expected "conversations" or "messages" to be a list`, 'E_DATASET');
  return raw.map((m: unknown) => {
    const x = m as { from?: unknown; value?: unknown; role?: unknown; content?: unknown } | null;
    const who = String(x?.from ?? x?.role ?? '').toLowerCase();
    const content = x?.value ?? x?.content;
    const role = ROLE[who];
    if (!role || typeof content !== 'string') {
      const got = JSON.stringify(m)?.slice(0, 80);
      throw new UsageError(
        `${loc}: each message needs from/role (human, gpt, system…) and a text value, got ${got}`,
        'E_DATASET',
      );
    }
    return { role, content };
  });
}

function toTurns(msgs: ChatMessage[], id: number, opts: LoadOptions): RequestSpec[] {
  const turns: RequestSpec[] = [];
  const system = msgs.find((m) => m.role === 'system');
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    if (m.role !== 'user' || m.content.trim() === '') continue;
    const next = msgs[i + 1];
    const answerLen = next?.role === 'assistant' ? countWords(next.content) : 0;
    const maxOut = answerLen > 0 ? Math.min(answerLen, opts.maxOutLen) : opts.maxOutLen;
    const content: ChatMessage[] =
      turns.length === 0 && system
        ? [system, { role: 'user', content: m.content }]
        : [{ role: 'user', content: m.content }];
    const spec = makeSpec(id, opts.api === 'completions' ? m.content : content, maxOut, opts);
    spec.turn = turns.length;
    turns.push(spec);
  }
  return turns;
}
