/**
 * The embedded OpenAI-compatible simulator: a real HTTP server on a loopback
 * address whose schedule (see answer.ts) and request log are the ground truth
 * of every latency test.
 */
import { createRawServer, type SimReq, type SimRes } from './raw-http.js';
import type { AddressInfo } from 'node:net';
import { nowMs } from '../engine/clock.js';
import { RuntimeError, UsageError } from '../core/errors.js';
import { StreamAnswer, type AnswerHost, type Scheduled } from './answer.js';
import { directWriter, dripWriter } from './body-writer.js';
import { JsonAnswer } from './json-answer.js';
import { resolveSimOptions, type ResolvedSimOptions, type SimOptions } from './options.js';
import { planAnswer, readJsonBody } from './plan.js';
import { RequestLogRing, type SimRequestLog } from './request-log.js';
import { createRng } from './rng.js';
import { TimerHeap } from './timer-heap.js';
import { BatchAnswer, BatchEngine } from './batch/engine.js';
import { blockHashes } from './batch/prefix.js';
import { openAiWire } from './wire.js';
import { protocolOf, protocolWire, toCompletionsBody, type SimProtocol } from './protocols.js';
import { loadAnswerKey } from './answer-key.js';

export interface SimStats {
  /** Requests received (all paths). */
  requests: number;
  /** Answers in progress. */
  active: number;
  /** Output tokens written. */
  tokens: number;
}

export interface SimServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  /** The resolved options the simulator runs with. */
  options: Readonly<ResolvedSimOptions>;
  /** Copies of the last `logLimit` request entries, oldest first. */
  requestLog(): SimRequestLog[];
  stats(): SimStats;
  /** Stops listening and closes every connection, including idle keep-alive ones. */
  close(): Promise<void>;
}

function sendJson(res: SimRes, entry: SimRequestLog, status: number, body: unknown): void {
  entry.status = status;
  res.writeHead(status, { 'content-type': 'application/json', 'x-sim-request-id': String(entry.id) });
  res.end(JSON.stringify(body));
  entry.endedAt = nowMs();
}

/** The first message's (or the prompt's) first 64 characters, to match a request to its log entry. */
function firstText(body: Record<string, unknown> | null): string {
  const m = (body?.messages as Array<{ content?: unknown }> | undefined)?.[0]?.content ?? body?.prompt;
  return typeof m === 'string' ? m.slice(0, 64) : '';
}

function errorBody(status: number, message: string): unknown {
  const type =
    status === 429
      ? 'RateLimitError'
      : status === 404
        ? 'NotFoundError'
        : status >= 500
          ? 'InternalServerError'
          : 'BadRequestError';
  return { error: { message, type, param: null, code: status } };
}

export async function startSimulator(opts: SimOptions = {}): Promise<SimServer> {
  const resolved = resolveSimOptions(opts);
  if (typeof resolved === 'string') throw new UsageError(`simulator: ${resolved}`);
  const o = resolved;
  const rng = createRng(o.seed);
  const key = o.answerKey ? loadAnswerKey(o.answerKey, o.accuracy, o.seed) : null;
  const log = new RequestLogRing(o.logLimit);
  const counters: SimStats = { requests: 0, active: 0, tokens: 0 };
  const heap = new TimerHeap<Scheduled>((item, now) => item.serve(now));
  const firstHeap = new TimerHeap<Scheduled>((item, now) => item.serve(now), true);
  /** When /metrics was first asked for (--metrics-down-after counts from there). */
  let firstScrapeAt: number | null = null;
  const batch =
    o.engine === 'batch'
      ? new BatchEngine(
          {
            maxNumSeqs: o.maxNumSeqs,
            maxBatchedTokens: o.maxBatchedTokens,
            stepBaseMs: o.stepBaseMs,
            stepPerSeqMs: o.stepPerSeqMs,
            prefillRate: o.prefillTokensPerMs,
            kvBlocks: o.kvBlocks,
            blockSize: o.blockSize,
            specTokens: o.specTokens,
            specAccept: o.specAccept,
          },
          o.model,
          rng.next,
          { addTokens: (n) => (counters.tokens += n), finished: () => counters.active-- },
        )
      : null;
  const host: AnswerHost = {
    rng,
    schedule: (at, item) => heap.push(at, item),
    schedulePrecise: (at, item) => firstHeap.push(at, item),
    addTokens: (n) => {
      counters.tokens += n;
    },
    finished: () => {
      counters.active--;
    },
  };

  const answer = async (
    req: SimReq,
    res: SimRes,
    entry: SimRequestLog,
    chat: boolean,
    proto: SimProtocol | null = null,
  ): Promise<void> => {
    const raw = await readJsonBody(req);
    // The rest waits for the check phase: when a burst of requests arrives
    // together, every one is stamped (receivedAt) as its bytes are parsed,
    // instead of after the answers of all those before it were planned and
    // written. The schedule runs from receivedAt, so the delay costs nothing.
    await new Promise((r) => setImmediate(r));
    if (res.destroyed) return;
    if (typeof raw === 'string') {
      sendJson(res, entry, 400, errorBody(400, raw));
      return;
    }
    entry.body = raw;
    // TGI, Triton and MindIE bodies are answered as the completions body they amount to.
    const body = proto ? toCompletionsBody(proto, raw) : raw;
    if (typeof body === 'string') {
      sendJson(res, entry, 400, errorBody(400, body));
      return;
    }
    const plan = planAnswer(body, chat, entry, o, rng, key, proto === 'vllm_old');
    if (typeof plan === 'string') {
      sendJson(res, entry, 400, errorBody(400, plan));
      return;
    }
    if (rng.chance(o.failRate)) {
      entry.fault = 'fail';
      sendJson(res, entry, o.failStatus, errorBody(o.failStatus, `simulated failure (status ${o.failStatus})`));
      return;
    }
    const stream = entry.stream;
    if (batch) {
      const shape = plan.events.shape;
      const refused = batch.model.refuse(shape.promptTokens, shape.tokens);
      if (refused) {
        sendJson(res, entry, 400, errorBody(400, refused));
        return;
      }
      const wire = proto
        ? protocolWire(proto, shape)
        : openAiWire(shape, { includeUsage: plan.includeUsage, noDone: plan.noDone });
      res.writeHead(200, {
        'content-type': stream ? wire.streamType : 'application/json',
        'cache-control': 'no-cache',
        'x-sim-request-id': String(entry.id),
      });
      counters.active++;
      const a = new BatchAnswer(entry, wire, o.drip ? dripWriter(res) : directWriter(res), stream, shape.tokens);
      res.on('close', () => batch.abandon(a));
      batch.submit(a, {
        id: entry.id,
        promptTokens: shape.promptTokens,
        outputTokens: shape.tokens,
        blockHashes: blockHashes(body.prompt, chat ? body.messages : undefined, o.blockSize),
      });
      return;
    }
    res.writeHead(200, {
      'content-type': stream
        ? proto === 'vllm_old'
          ? 'application/octet-stream'
          : 'text/event-stream; charset=utf-8'
        : 'application/json',
      'cache-control': 'no-cache',
      'x-sim-request-id': String(entry.id),
    });
    const writer = o.drip ? dripWriter(res) : directWriter(res);
    counters.active++;
    const a = stream
      ? new StreamAnswer(plan, entry, writer, host, chat ? plan.events.roleEvent() : '')
      : new JsonAnswer(plan, entry, writer, host);
    res.on('close', () => a.abandon());
    a.begin();
  };

  const server = createRawServer((req, res) => {
    const receivedAt = nowMs();
    const id = ++counters.requests;
    res.on('error', () => {});
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const entry: SimRequestLog = {
      id,
      path,
      stream: false,
      receivedAt,
      firstTokenAt: null,
      lastTokenAt: null,
      endedAt: null,
      tokens: 0,
      plannedTokens: 0,
      chunks: 0,
      promptTokens: 0,
      status: 200,
      fault: null,
      aborted: false,
      body: null,
    };
    log.add(entry);
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, entry, 200, {
        object: 'list',
        data: [{ id: o.model, object: 'model', created: 0, owned_by: 'aisbench-tui-sim' }],
      });
    } else if (req.method === 'GET' && path === '/sim/log') {
      // Ground truth for clients in another process (benchmarks): when each
      // request was received and its first token written, on CLOCK_MONOTONIC.
      sendJson(
        res,
        entry,
        200,
        log.list().map((e) => ({
          id: e.id,
          receivedAt: e.receivedAt,
          firstTokenAt: e.firstTokenAt,
          tokens: e.tokens,
          tag: firstText(e.body as Record<string, unknown> | null),
        })),
      );
    } else if (req.method === 'GET' && path === '/metrics' && batch) {
      firstScrapeAt ??= receivedAt;
      if (o.metricsDownAfterMs > 0 && receivedAt - firstScrapeAt >= o.metricsDownAfterMs) {
        sendJson(res, entry, 503, errorBody(503, 'metrics are down (simulated)'));
      } else {
        entry.status = 200;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(batch.metrics.text());
        entry.endedAt = nowMs();
      }
    } else if (req.method === 'GET' && path === '/health') {
      sendJson(res, entry, 200, { status: 'ok' });
    } else if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/v1/completions')) {
      answer(req, res, entry, path === '/v1/chat/completions').catch(() => res.destroy());
    } else if (req.method === 'POST' && protocolOf(path) && (batch || protocolOf(path) === 'vllm_old')) {
      answer(req, res, entry, false, protocolOf(path)).catch(() => res.destroy());
    } else {
      sendJson(res, entry, 404, errorBody(404, `no route ${req.method ?? ''} ${path}`));
    }
  }, o.tls ?? undefined);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE')
        reject(new RuntimeError(`port ${o.port} is already in use (simulator)`, 'E_PORT_IN_USE'));
      else if (err.code === 'EACCES')
        reject(new RuntimeError(`no permission to listen on port ${o.port} (simulator)`, 'E_PORT_ACCESS'));
      else reject(new RuntimeError(`simulator cannot listen on ${o.host}:${o.port}: ${err.message}`, 'E_LISTEN'));
    };
    server.once('error', onError);
    server.listen(
      { host: o.host === 'localhost' ? '127.0.0.1' : o.host.replace(/^\[|\]$/g, ''), port: o.port, backlog: 65535 },
      () => {
        server.off('error', onError);
        resolve();
      },
    );
  });

  const port = (server.address() as AddressInfo).port;
  const hostInUrl =
    o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host === 'localhost' ? '127.0.0.1' : o.host;
  let closing: Promise<void> | null = null;
  return {
    url: `${o.tls ? 'https' : 'http'}://${hostInUrl}:${port}`,
    port,
    options: o,
    requestLog: () => log.list(),
    stats: () => ({ ...counters }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        heap.close();
        firstHeap.close();
        batch?.close();
        server.close(() => resolve());
        server.closeAll();
      });
      return closing;
    },
  };
}
