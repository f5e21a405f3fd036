/**
 * Reasoning models (`reasoning_content` deltas), over successful requests
 * that had reasoning events: TTFT of any token (as vLLM reports it) beside
 * the time to the first answer (text) token, and reasoning vs answer tokens
 * (the server's completion_tokens_details.reasoning_tokens when given, else
 * the tokens of the reasoning events). Part of TaskAccumulator's state
 * (accumulator.ts): the sums merge across workers by addition.
 */
import { COMMON_METRIC_NAMES } from '../core/metric-ids.js';
import { EV_REASONING, EV_TEXT } from '../engine/sse.js';
import type { RequestRecord } from '../engine/types.js';
import type { CommonRow } from './types.js';

export interface ReasoningSums {
  requests: number;
  /** µs sums. */
  ttftMs: number;
  answerMs: number;
  answerN: number;
  reasoningTok: number;
  answerTok: number;
}

export function emptyReasoning(): ReasoningSums {
  return { requests: 0, ttftMs: 0, answerMs: 0, answerN: 0, reasoningTok: 0, answerTok: 0 };
}

/** Adds one successful record with event kinds; records without a reasoning event add nothing. */
export function addReasoning(s: ReasoningSums, r: RequestRecord, kinds: Uint8Array): void {
  let rTok = 0;
  let any = false;
  let acc = 0;
  let answerAt = NaN;
  for (let i = 0; i < kinds.length; i++) {
    if (i > 0) acc += r.gapsUs[i - 1]!;
    const k = kinds[i]! & 7;
    if (k === EV_REASONING) {
      any = true;
      rTok += r.chunkTokens ? r.chunkTokens[i]! : 1;
    } else if (k === EV_TEXT && Number.isNaN(answerAt)) answerAt = r.first + acc / 1000;
  }
  if (!any) return;
  if (r.reasoningTokens !== undefined) rTok = r.reasoningTokens;
  s.requests++;
  // Sums in whole µs, so merged partial states add up to the last digit.
  s.ttftMs += Math.round(r.ttft * 1000);
  if (Number.isFinite(answerAt)) {
    s.answerN++;
    s.answerMs += Math.round(answerAt * 1000);
  }
  s.reasoningTok += rTok;
  s.answerTok += Math.max(0, r.outTok - rTok);
}

export function mergeReasoning(into: ReasoningSums, s: ReasoningSums): void {
  for (const k of Object.keys(into) as Array<keyof ReasoningSums>) into[k] += s[k];
}

/** Common Metric rows (stage total); none when no request reasoned. */
export function reasoningRows(rs: ReasoningSums): CommonRow[] {
  if (rs.requests === 0) return [];
  return [
    {
      id: 'reasoning_requests',
      name: COMMON_METRIC_NAMES.reasoning_requests,
      stage: 'total',
      value: rs.requests,
      unit: '',
    },
    {
      id: 'ttft_any_token_mean',
      name: COMMON_METRIC_NAMES.ttft_any_token_mean,
      stage: 'total',
      value: rs.ttftMs / rs.requests / 1000,
      unit: 'ms',
    },
    {
      id: 'first_answer_token_mean',
      name: COMMON_METRIC_NAMES.first_answer_token_mean,
      stage: 'total',
      value: rs.answerN ? rs.answerMs / rs.answerN / 1000 : NaN,
      unit: 'ms',
    },
    {
      id: 'reasoning_tokens',
      name: COMMON_METRIC_NAMES.reasoning_tokens,
      stage: 'total',
      value: rs.reasoningTok,
      unit: '',
    },
    { id: 'answer_tokens', name: COMMON_METRIC_NAMES.answer_tokens, stage: 'total', value: rs.answerTok, unit: '' },
  ];
}
