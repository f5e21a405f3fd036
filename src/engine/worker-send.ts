/**
 * What a load worker sends: one request with its retries, a unit (a request
 * or the turns of a conversation), the warm-up, the pre-connect; each
 * finished request becomes a record in the worker's delta and a details line.
 */
import { writeSync } from 'node:fs';
import { nowMs } from './clock.js';
import { isTextApi, protocolBody } from './protocols.js';
import { CTL, type WorkerInit } from './protocol.js';
import { attempt, type AttemptResult } from './request.js';
import { isRetriable, parseRetryAfter, retryDelayMs } from './retry.js';
import { EV_REASONING, EV_TOOL, tokensPerChunk, type SseTokenParser } from './sse.js';
import type { ChatMessage, RequestRecord, RequestSpec } from './types.js';
import { echoLine } from './echo-line.js';
import { release } from './worker-slots.js';
import type { WorkerState } from './worker-state.js';
import { encodeRecord } from './details-codec.js';
import { cleanMessage } from '../core/redact.js';
import { writeError } from '../core/write-error.js';

function bodyFor(init: WorkerInit, spec: RequestSpec, messages: ChatMessage[] | undefined, id = 0): string {
  if (isTextApi(init.api)) return protocolBody(init.api, init.baseBody, spec.prompt ?? '', spec.maxOutLen, id);
  const b: Record<string, unknown> = { ...init.baseBody, max_tokens: spec.maxOutLen };
  if (messages) b.messages = messages;
  else if (spec.messages) b.messages = spec.messages;
  else b.prompt = spec.prompt ?? '';
  return JSON.stringify(b);
}

/** Send one request with its retries; returns the record and the answer text. */
export async function runRequest(
  st: WorkerState,
  spec: RequestSpec,
  id: number,
  sched: number,
  warmup: boolean,
  messages?: ChatMessage[],
) {
  const init = st.init;
  const body = bodyFor(init, spec, messages, id);
  let res: AttemptResult | null = null;
  let attempts = 0;
  let gotHead = false;
  let retries: Array<[number, number, string]> | undefined;
  if (!warmup) st.delta.post++;
  while (attempts <= init.retry) {
    if (res) {
      // Keep the failed attempt's timing in the record, then back off.
      (retries ??= []).push([us(res.t0 - st.runStart), us(res.end - st.runStart), res.code ?? 'E_UNKNOWN']);
      await backoff(st, retryDelayMs(attempts, parseRetryAfter(res.retryAfter)));
      if (st.aborted) break;
    }
    attempts++;
    res = await attempt(
      st.pool,
      {
        path: init.path,
        headers: init.headers,
        body,
        stream: init.baseBody.stream !== false,
        timeoutMs: init.timeoutMs,
        firstByteTimeoutMs: init.firstByteTimeoutMs,
        idleTimeoutMs: init.idleTimeoutMs,
        collectText: init.collectText,
        nulFramesPrompt: init.api === 'vllm_old' ? (spec.prompt ?? '') : undefined,
        onHead: () => {
          if (!gotHead && !warmup) st.delta.recv++;
          gotHead = true;
        },
      },
      st.inflight,
    );
    if (res.ok || st.aborted || !isRetriable(res.code)) break;
  }
  const r = res as AttemptResult;
  const text = r.parser.text ? r.parser.text.join('') : '';
  // vLLM's old non-streamed /generate has no token count at all: the tokenizer's
  // count is the output (prepare.ts refuses this form without a tokenizer).
  if (init.api === 'vllm_old' && init.baseBody.stream === false && r.ok && st.tokenizer)
    r.parser.completionTokens = st.tokenizer.count(text);
  const rec = toRecord(st, r, spec, id, sched, attempts, warmup);
  if (retries) rec.retries = retries;
  // After every time of this request is taken; ~2 µs of this worker's CPU per answer token (README "Token audit").
  if (st.tokenizer && !warmup && rec.ok && answerOnly(r.parser)) rec.localOut = st.tokenizer.count(text);
  const d = st.delta;
  if (!warmup) {
    if (rec.ok) {
      d.finish++;
      d.out += rec.outTok;
      d.digest.push(rec.ttft);
    } else d.fail++;
  }
  d.records.push(rec);
  const line = spec.echo ? echoLine(rec, spec, text) : encodeRecord(rec);
  if (st.detailsFd >= 0) {
    try {
      writeSync(st.detailsFd, line + '\n');
    } catch (err) {
      // A full or read-only disk: stop the task with one line naming the file, losing nothing silently.
      st.detailsFd = -1;
      st.post({ type: 'fatal', message: writeError(init.detailsPath ?? 'the details file', err).message });
      st.abort();
    }
  } else d.lines.push(line);
  return { rec, text };
}

/**
 * Sleep `ms` before a retry; an abort (second Ctrl+C, end of the grace) cuts
 * it short. libuv times a timer from the loop's cached, whole-ms clock, so it
 * may fire up to ~1 ms early by nowMs(): a Retry-After of 1 s was honoured
 * 0.15 ms short on a loaded machine. The rest is slept again, so the retry
 * is never sooner than asked.
 */
function backoff(st: WorkerState, ms: number): Promise<void> {
  const until = nowMs() + ms;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const done = (): void => {
      clearTimeout(timer);
      st.inflight.delete(done);
      resolve();
    };
    const tick = (): void => {
      const left = until - nowMs();
      if (left > 0) timer = setTimeout(tick, Math.ceil(left));
      else done();
    };
    timer = setTimeout(tick, ms);
    st.inflight.add(done);
  });
}

/**
 * Times are kept to the microsecond, exactly as the details file stores them,
 * so results recomputed from the file equal the live ones to the last digit.
 */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

function toRecord(
  st: WorkerState,
  r: AttemptResult,
  spec: RequestSpec,
  id: number,
  sched: number,
  attempts: number,
  warmup: boolean,
): RequestRecord {
  const p = r.parser;
  const times = p.times;
  const n = times.length;
  const ok = r.ok && p.tokenEvents > 0;
  const outTok = p.completionTokens >= 0 ? p.completionTokens : p.tokenEvents;
  const gaps = new Uint32Array(n > 1 ? n - 1 : 0);
  for (let i = 1; i < n; i++) gaps[i - 1] = Math.max(0, Math.round((times[i]! - times[i - 1]!) * 1000));
  const ft = p.firstToken();
  const lt = p.lastToken();
  const rec: RequestRecord = {
    id,
    turn: spec.turn ?? 0,
    ok,
    attempts,
    sched: sched >= 0 ? us(sched) : sched,
    t0: us(r.t0 - st.runStart),
    ttft: ft >= 0 ? us(times[ft]! - r.t0) : NaN,
    e2el: lt >= 0 ? us(times[lt]! - r.t0) : NaN,
    end: us(r.end - st.runStart),
    gapsUs: gaps,
    kinds: p.kinds ? Uint8Array.from(p.kinds) : null,
    first: n > 0 ? us(times[0]! - r.t0) : NaN,
    chunkTokens: p.completionTokens >= 0 ? tokensPerChunk(p.lens, outTok) : null,
    inTok: p.promptTokens >= 0 ? p.promptTokens : (spec.inputTokens ?? 0),
    outTok,
    usage: p.completionTokens >= 0,
  };
  if (ok && !p.done) rec.noDone = true;
  if (p.reasoningTokens >= 0) rec.reasoningTokens = p.reasoningTokens;
  if (p.promptTokens >= 0 && spec.inputTokens !== undefined && turnOf(spec) === 0) rec.localIn = spec.inputTokens;
  if (!ok) {
    rec.code = r.code ?? 'E_UNKNOWN';
    rec.message = cleanMessage(r.message ?? '', st.secrets);
  }
  if (warmup) rec.warmup = true;
  return rec;
}

/** True when every token-bearing event was answer text (the parser collects only that text). */
function answerOnly(p: SseTokenParser): boolean {
  if (p.kinds === null) return true;
  for (const k of p.kinds) if ((k & 7) === EV_REASONING || (k & 7) === EV_TOOL) return false;
  return true;
}

/** Later turns of a conversation send the history too: the local count covers the first turn only. */
const turnOf = (spec: RequestSpec): number => spec.turn ?? 0;

/** A unit: one request, or the turns of one conversation sent in order. */
export async function runUnit(st: WorkerState, unit: RequestSpec[], id: number, sched: number): Promise<void> {
  try {
    if (unit.length === 1) {
      await runRequest(st, unit[0]!, id, sched, false);
      return;
    }
    const history: ChatMessage[] = [];
    // A stop sends no further turns (they are new requests); an abort cuts the current one.
    for (let t = 0; t < unit.length && !st.aborted && (t === 0 || Atomics.load(st.ctl, CTL.STOP) === 0); t++) {
      const spec = unit[t]!;
      // All of the turn's messages: the first turn may open with a system message.
      history.push(...(spec.messages ?? [{ role: 'user' as const, content: spec.prompt ?? '' }]));
      const { rec, text } = await runRequest(st, { ...spec, turn: t }, id, t === 0 ? sched : -1, false, [...history]);
      if (!rec.ok) break;
      history.push({ role: 'assistant', content: text });
    }
  } finally {
    release(st);
  }
}

export async function warmup(st: WorkerState): Promise<void> {
  const units = st.units;
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const k = st.init.warmups;
  await Promise.all(
    Array.from({ length: k }, async (_, i) => {
      const spec = units.get(i % units.length)[0]!;
      const { rec } = await runRequest(st, spec, -1 - i, -1, true);
      if (rec.ok) ok++;
      else {
        failed++;
        firstError ??= `${rec.code}: ${rec.message}`;
      }
    }),
  );
  // One failed warm-up is no verdict (a server that fails a few percent of
  // requests): while every one failed, send more, one at a time, until
  // MIN_WARMUP_TRIES were sent; only then does the task stop.
  for (let i = k; ok === 0 && i < MIN_WARMUP_TRIES && !st.aborted; i++) {
    const { rec } = await runRequest(st, units.get(i % units.length)[0]!, -1 - i, -1, true);
    if (rec.ok) ok++;
    else failed++;
  }
  st.flush();
  st.post({ type: 'warmupDone', ok, failed, firstError });
}

/** Warm-up requests sent before a task gives up because all of them failed. */
const MIN_WARMUP_TRIES = 3;

/**
 * Open `k` keep-alive connections with concurrent cheap GETs, so that the
 * first wave of measured requests does not pay for TCP setup in its TTFT.
 * Errors are ignored: a server without /v1/models still accepted the socket.
 */
export async function preconnect(st: WorkerState, k: number): Promise<void> {
  if (k <= 0) return;
  const init = st.init;
  // The base URL's query (e.g. an api-key parameter) goes with every request.
  const q = init.path.indexOf('?');
  const models =
    init.path.slice(0, q < 0 ? undefined : q).replace(/\/v1\/.*$/, '') +
    '/v1/models' +
    (q < 0 ? '' : init.path.slice(q));
  await Promise.all(
    Array.from({ length: k }, () =>
      st.pool
        .request({ method: 'GET', path: models, headers: init.headers, headersTimeout: 5000, bodyTimeout: 5000 })
        .then((r) => r.body.dump())
        .catch(() => undefined),
    ),
  );
}
