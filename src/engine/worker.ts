/**
 * A load worker (worker_threads). It claims units (a request, or a whole
 * multi-turn conversation) and concurrency slots from shared memory, sends
 * them through its own undici Pool, and posts batched deltas every tick.
 */
import { isTextApi, protocolBody } from './protocols.js';
import { connectOptions } from './tls.js';
import { openSync, writeSync } from 'node:fs';
import { parentPort, threadId } from 'node:worker_threads';
import { Pool } from 'undici';
import tdigestPkg from 'tdigest';
import { nowMs } from './clock.js';
import { CTL, type FromWorker, type ToWorker, type WorkerInit } from './protocol.js';
import { attempt, type AbortSet, type AttemptResult } from './request.js';
import { isRetriable, parseRetryAfter, retryDelayMs } from './retry.js';
import { EV_REASONING, EV_TOOL, tokensPerChunk, type SseTokenParser } from './sse.js';
import { loadTokenizer, type Tokenizer } from './tokenizer.js';
import type { ChatMessage, RequestRecord, RequestSpec } from './types.js';
import { UnitReader } from './unit-store.js';
import { encodeRecord } from '../output/details-codec.js';
import { echoLine } from './echo-line.js';
import { cleanMessage, collectSecrets } from '../output/redact.js';
import { writeError } from '../output/safe-write.js';

const { TDigest } = tdigestPkg;
// Atomics.waitAsync exists in Node 20 (V8) but is typed only in lib ES2024, which
// would also admit APIs Node 20 lacks.
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

let init: WorkerInit;
let ctl: Int32Array;
let schedule: Float64Array | null = null;
let units: UnitReader;
let pool: Pool;
let runStart = 0;
let aborted = false;
let detailsFd = -1;
/** The token audit's local tokenizer (init.tokenizerPath), null = no output audit. */
let tokenizer: Tokenizer | null = null;
const inflight: AbortSet = new Set();
/**
 * Credentials this worker sends (auth header values, with and without their
 * scheme word). A server may echo them in an error body ("invalid key
 * sk-..."): failure messages are masked here, before they reach the details
 * file, the failure table or the terminal.
 */
let secrets: string[] = [];

// Delta accumulated since the last post.
let dPost = 0;
let dRecv = 0;
let dFinish = 0;
let dFail = 0;
let dOut = 0;
let dRecords: RequestRecord[] = [];
let dLines: string[] = [];
let dDigest = new TDigest();

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function flush(): void {
  if (dPost + dRecv + dFinish + dFail === 0 && dRecords.length === 0) return;
  const centroids = dDigest.toArray() as Array<{ mean: number; n: number }>;
  post({
    type: 'delta',
    workerIndex: init.workerIndex,
    threadId,
    post: dPost,
    recv: dRecv,
    finish: dFinish,
    fail: dFail,
    records: dRecords,
    lines: dLines.length ? dLines.join('\n') + '\n' : '',
    ttftCentroids: centroids.map((c) => ({ mean: c.mean, n: c.n })),
    outTokens: dOut,
  });
  dPost = dRecv = dFinish = dFail = dOut = 0;
  dRecords = [];
  dLines = [];
  dDigest = new TDigest();
}

function tryAcquire(): boolean {
  for (;;) {
    const cur = Atomics.load(ctl, CTL.INFLIGHT);
    if (cur >= Atomics.load(ctl, CTL.MAX)) return false;
    if (Atomics.compareExchange(ctl, CTL.INFLIGHT, cur, cur + 1) === cur) return true;
  }
}

/** This worker's loop, while it waits for a slot: release() hands its slot over directly. */
let slotWaiter: ((handed: boolean) => void) | null = null;
/**
 * Slots this worker holds, and the most it may hold: its Pool's connection
 * count. The workers' caps add up to the task's concurrency, so the client
 * opens exactly one connection per concurrency slot (issue 17: an unbounded
 * Pool opened ~1.6 per slot, as a new request could find the finished one's
 * socket not yet free).
 */
let mine = 0;
let myCap = Infinity;

async function acquire(): Promise<boolean> {
  for (;;) {
    if (mine < myCap && tryAcquire()) {
      mine++;
      return true;
    }
    if (aborted || Atomics.load(ctl, CTL.STOP) === 1) return false;
    const cur = Atomics.load(ctl, CTL.INFLIGHT);
    const full = mine >= myCap;
    if (!full && cur < Atomics.load(ctl, CTL.MAX)) continue;
    // At this worker's own cap only its own release (a handoff) frees a slot for it.
    const w = full ? null : waitAsync(ctl, CTL.INFLIGHT, cur, 20);
    if (w && !w.async) continue;
    // Woken by a handoff from this worker (true), or by another worker's
    // release, a stop or the 20 ms timeout (false: look again).
    const handed = await new Promise<boolean>((resolve) => {
      // Cleared as soon as it settles: a later release must not hand its slot to a waiter already gone.
      const settle = (h: boolean): void => {
        if (slotWaiter === settle) slotWaiter = null;
        resolve(h);
      };
      slotWaiter = settle;
      if (w) void (w.value as Promise<string>).then(() => settle(false));
      else setTimeout(() => settle(false), 20);
    });
    if (handed) return true;
  }
}

function release(): void {
  // A finished unit's slot goes straight to the next unit when the loop waits
  // for one: it is sent in this same tick (no wake-up through the event loop)
  // and the shared in-flight count never dips between the two, which is what
  // holding batch_size in flight (pressure mode) means.
  const waiter = slotWaiter;
  // Not when the cap was lowered below what is in flight (the adaptive controller backing off).
  if (waiter && !aborted && Atomics.load(ctl, CTL.STOP) === 0 && Atomics.load(ctl, CTL.INFLIGHT) <= Atomics.load(ctl, CTL.MAX)) {
    slotWaiter = null;
    waiter(true);
    return;
  }
  mine--;
  Atomics.sub(ctl, CTL.INFLIGHT, 1);
  Atomics.notify(ctl, CTL.INFLIGHT, 1);
}

/**
 * The last stretch of a wait (ms) spent polling (setImmediate: I/O is still
 * served) instead of on a timer. libuv timers have whole-ms resolution and
 * often fire 1-2 ms after their due time; with 1.5 ms of spin ~2 % of fixed
 * 25 ms gaps were over 1 ms late on an idle machine, with 3 ms none were
 * (test/timing/arrival-live.test.ts). Costs up to 3 ms of CPU per scheduled send.
 */
const SPIN_MS = 3;

/**
 * Runs the pacing code a few hundred times before the run: otherwise V8
 * optimizes it during the first scheduled sends, and those were 2-6 ms late
 * (0.1 ms after this). Takes ~15-50 ms, only for a task with a schedule.
 */
async function warmPacing(): Promise<void> {
  for (let k = 0; k < 300; k++) await sleepUntil(nowMs() + 0.05);
}

/** Sleep until absolute time `target` (ms): a timer, then a short spin for sub-ms accuracy. */
async function sleepUntil(target: number): Promise<void> {
  let left = target - nowMs();
  if (left > SPIN_MS + 0.5) await new Promise((r) => setTimeout(r, left - SPIN_MS));
  while ((left = target - nowMs()) > 0 && !aborted) await new Promise((r) => setImmediate(r));
}

function bodyFor(spec: RequestSpec, messages: ChatMessage[] | undefined, id = 0): string {
  if (isTextApi(init.api)) return protocolBody(init.api, init.baseBody, spec.prompt ?? '', spec.maxOutLen, id);
  const b: Record<string, unknown> = { ...init.baseBody, max_tokens: spec.maxOutLen };
  if (messages) b.messages = messages;
  else if (spec.messages) b.messages = spec.messages;
  else b.prompt = spec.prompt ?? '';
  return JSON.stringify(b);
}

/** Send one request with its retries; returns the record and the answer text. */
async function runRequest(spec: RequestSpec, id: number, sched: number, warmup: boolean, messages?: ChatMessage[]) {
  const body = bodyFor(spec, messages, id);
  let res: AttemptResult | null = null;
  let attempts = 0;
  let gotHead = false;
  let retries: Array<[number, number, string]> | undefined;
  if (!warmup) dPost++;
  while (attempts <= init.retry) {
    if (res) {
      // Keep the failed attempt's timing in the record, then back off.
      (retries ??= []).push([us(res.t0 - runStart), us(res.end - runStart), res.code ?? 'E_UNKNOWN']);
      await backoff(retryDelayMs(attempts, parseRetryAfter(res.retryAfter)));
      if (aborted) break;
    }
    attempts++;
    res = await attempt(
      pool,
      {
        path: init.path,
        headers: init.headers,
        body,
        stream: init.baseBody.stream !== false,
        timeoutMs: init.timeoutMs,
        firstByteTimeoutMs: init.firstByteTimeoutMs,
        idleTimeoutMs: init.idleTimeoutMs,
        collectText: init.collectText,
        onHead: () => {
          if (!gotHead && !warmup) dRecv++;
          gotHead = true;
        },
      },
      inflight,
    );
    if (res.ok || aborted || !isRetriable(res.code)) break;
  }
  const r = res as AttemptResult;
  const rec = toRecord(r, spec, id, sched, attempts, warmup);
  if (retries) rec.retries = retries;
  const text = r.parser.text ? r.parser.text.join('') : '';
  // After every time of this request is taken; ~2 µs of this worker's CPU per answer token (README "Token audit").
  if (tokenizer && !warmup && rec.ok && answerOnly(r.parser)) rec.localOut = tokenizer.count(text);
  if (!warmup) {
    if (rec.ok) {
      dFinish++;
      dOut += rec.outTok;
      dDigest.push(rec.ttft);
    } else dFail++;
  }
  dRecords.push(rec);
  const line = spec.echo ? echoLine(rec, spec, text) : encodeRecord(rec);
  if (detailsFd >= 0) {
    try {
      writeSync(detailsFd, line + '\n');
    } catch (err) {
      // A full or read-only disk: stop the task with one line naming the file, losing nothing silently.
      detailsFd = -1;
      post({ type: 'fatal', message: writeError(init.detailsPath ?? 'the details file', err).message });
      aborted = true;
      Atomics.store(ctl, CTL.STOP, 1);
      for (const a of [...inflight]) a('E_ABORTED');
    }
  } else dLines.push(line);
  return { rec, text };
}

/** Sleep `ms` before a retry; an abort (second Ctrl+C, end of the grace) cuts it short. */
function backoff(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      inflight.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    inflight.add(wake);
  });
}

/**
 * Times are kept to the microsecond, exactly as the details file stores them,
 * so results recomputed from the file equal the live ones to the last digit.
 */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

function toRecord(r: AttemptResult, spec: RequestSpec, id: number, sched: number, attempts: number, warmup: boolean): RequestRecord {
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
    t0: us(r.t0 - runStart),
    ttft: ft >= 0 ? us(times[ft]! - r.t0) : NaN,
    e2el: lt >= 0 ? us(times[lt]! - r.t0) : NaN,
    end: us(r.end - runStart),
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
    rec.message = cleanMessage(r.message ?? '', secrets);
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
async function runUnit(unit: RequestSpec[], id: number, sched: number): Promise<void> {
  try {
    if (unit.length === 1) {
      await runRequest(unit[0]!, id, sched, false);
      return;
    }
    const history: ChatMessage[] = [];
    // A stop sends no further turns (they are new requests); an abort cuts the current one.
    for (let t = 0; t < unit.length && !aborted && (t === 0 || Atomics.load(ctl, CTL.STOP) === 0); t++) {
      const spec = unit[t]!;
      // All of the turn's messages: the first turn may open with a system message.
      history.push(...(spec.messages ?? [{ role: 'user' as const, content: spec.prompt ?? '' }]));
      const { rec, text } = await runRequest({ ...spec, turn: t }, id, t === 0 ? sched : -1, false, [...history]);
      if (!rec.ok) break;
      history.push({ role: 'assistant', content: text });
    }
  } finally {
    release();
  }
}

async function warmup(): Promise<void> {
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const k = init.warmups;
  await Promise.all(
    Array.from({ length: k }, async (_, i) => {
      const spec = units.get(i % units.length)[0]!;
      const { rec } = await runRequest(spec, -1 - i, -1, true);
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
  for (let i = k; ok === 0 && i < MIN_WARMUP_TRIES && !aborted; i++) {
    const { rec } = await runRequest(units.get(i % units.length)[0]!, -1 - i, -1, true);
    if (rec.ok) ok++;
    else failed++;
  }
  flush();
  post({ type: 'warmupDone', ok, failed, firstError });
}

/** Warm-up requests sent before a task gives up because all of them failed. */
const MIN_WARMUP_TRIES = 3;

/**
 * Open `k` keep-alive connections with concurrent cheap GETs, so that the
 * first wave of measured requests does not pay for TCP setup in its TTFT.
 * Errors are ignored: a server without /v1/models still accepted the socket.
 */
async function preconnect(k: number): Promise<void> {
  if (k <= 0) return;
  // The base URL's query (e.g. an api-key parameter) goes with every request.
  const q = init.path.indexOf('?');
  const models = init.path.slice(0, q < 0 ? undefined : q).replace(/\/v1\/.*$/, '') + '/v1/models' + (q < 0 ? '' : init.path.slice(q));
  await Promise.all(
    Array.from({ length: k }, () =>
      pool
        .request({ method: 'GET', path: models, headers: init.headers, headersTimeout: 5000, bodyTimeout: 5000 })
        .then((r) => r.body.dump())
        .catch(() => undefined),
    ),
  );
}

async function loop(): Promise<void> {
  const n = units.length;
  const running = new Set<Promise<void>>();
  for (;;) {
    if (aborted || Atomics.load(ctl, CTL.STOP) === 1) break;
    const i = Atomics.add(ctl, CTL.NEXT, 1);
    if (!init.recycle && i >= n) break;
    const sched = schedule && i < schedule.length ? schedule[i]! : -1;
    if (sched >= 0) await sleepUntil(runStart + sched);
    if (!(await acquire())) break;
    const p = runUnit(units.get(i % n), (init.idOffset ?? 0) + i * (init.idStride ?? 1), sched);
    running.add(p);
    void p.finally(() => running.delete(p));
  }
  await Promise.all(running);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    init = msg;
    secrets = collectSecrets([{ headers: msg.headers, url: msg.origin + msg.path }]);
    ctl = new Int32Array(msg.control);
    units = new UnitReader(msg.units);
    schedule = msg.schedule ? new Float64Array(msg.schedule) : null;
    if (msg.detailsPath) detailsFd = openSync(msg.detailsPath, 'a');
    myCap = msg.connections > 0 ? msg.connections : Infinity;
    const connect = connectOptions(msg.tls);
    pool = new Pool(msg.origin, { connections: msg.connections > 0 ? msg.connections : null, pipelining: 1, keepAliveTimeout: 30_000, ...(connect ? { connect } : {}) });
    setInterval(flush, msg.tickMs).unref();
    // The main thread loaded this tokenizer already; should this load fail, the output audit is left out.
    const tk = msg.tokenizerPath ? loadTokenizer(msg.tokenizerPath).then((t) => void (tokenizer = t), () => undefined) : Promise.resolve();
    void tk
      .then(() => preconnect(msg.preconnect))
      .then(() => (schedule ? warmPacing() : undefined))
      .then(() => {
        post({ type: 'ready', workerIndex: msg.workerIndex });
        if (msg.warmups > 0) void warmup();
      });
  } else if (msg.type === 'go') {
    runStart = msg.runStart;
    // Shards start at a common instant: 'go' may come a little before t = 0.
    void sleepUntil(runStart)
      .then(loop)
      .catch((err: Error) => post({ type: 'fatal', message: err.message }))
      .finally(async () => {
        flush();
        post({ type: 'done', workerIndex: init.workerIndex });
        await pool.close().catch(() => undefined);
      });
  } else if (msg.type === 'keepWarm') {
    void preconnect(init.preconnect);
  } else if (msg.type === 'abort') {
    aborted = true;
    Atomics.store(ctl, CTL.STOP, 1);
    for (const a of [...inflight]) a('E_ABORTED');
  }
});
