/**
 * One HTTP attempt: send a request through an undici Pool with `dispatch`
 * (the least overhead per event; `fetch` costs 1.2-2x CPU per event), feed
 * every body read to the SSE parser with its arrival time, and classify the
 * outcome with a typed error code.
 */
import type { Dispatcher, Pool } from 'undici';
import { nowMs } from './clock.js';
import { SseTokenParser } from './sse.js';
import { NulFrameParser } from './nul-frames.js';
import { ReadQueue } from './read-queue.js';
import type { ErrorCode } from './types.js';

export interface AttemptOptions {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Streaming request (SSE) or one JSON answer. */
  stream: boolean;
  /** Whole-request timeout, ms (0 = none). */
  timeoutMs: number;
  /** No token within this many ms after sending → E_FIRST_BYTE_TIMEOUT (0 = none). */
  firstByteTimeoutMs: number;
  /** No read for this many ms once the body started → E_IDLE_TIMEOUT (0 or absent = none). */
  idleTimeoutMs?: number;
  collectText: boolean;
  /** Called once when the response head arrives. */
  onHead?: () => void;
  /** vLLM's old /generate stream (NUL-separated JSON frames, engine/nul-frames.ts): the request's prompt. */
  nulFramesPrompt?: string;
}

export interface AttemptResult {
  /** Send time (absolute ms on the shared clock). */
  t0: number;
  /** When the attempt ended (absolute ms). */
  end: number;
  ok: boolean;
  code?: ErrorCode;
  message?: string;
  status: number;
  parser: SseTokenParser;
  /** The answer's Retry-After header, raw. */
  retryAfter?: string;
}

/** Abort handles of in-flight attempts, so a stop can cancel them. */
export type AbortSet = Set<(code: ErrorCode) => void>;

const MAX_ERROR_BODY = 2048;

export function attempt(pool: Pool, opts: AttemptOptions, inflight: AbortSet): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const parser =
      opts.nulFramesPrompt !== undefined
        ? new NulFrameParser(opts.collectText, opts.nulFramesPrompt)
        : new SseTokenParser(opts.collectText);
    let status = 0;
    let errBody = '';
    let plain = '';
    // First bytes of a 2xx stream: if it carries no SSE event at all (an HTML
    // page, a JSON error with status 200), the failure can quote them.
    let head = '';
    let contentType = '';
    let retryAfter: string | undefined;
    let settled = false;
    let abortReq: ((err: Error) => void) | null = null;
    let abortCode: ErrorCode | null = null;
    let timer: NodeJS.Timeout | null = null;
    let fbTimer: NodeJS.Timeout | null = null;
    let idleTimer: NodeJS.Timeout | null = null;
    // Time of the last body read: the idle timer re-arms itself from it when
    // it fires, so a read costs one assignment, not a timer reset.
    let lastRead = 0;
    const idleMs = opts.idleTimeoutMs ?? 0;
    const onIdle = (): void => {
      const quiet = nowMs() - lastRead;
      if (quiet >= idleMs) abort('E_IDLE_TIMEOUT');
      else idleTimer = setTimeout(onIdle, idleMs - quiet);
    };
    // Reads are timestamped on arrival and parsed in slices between I/O
    // (see read-queue.ts); the queue is drained before any decision.
    const reads = new ReadQueue(parser);
    const drain = (): void => reads.drainAll();
    // Replaced by the moment the request is written (onConnect).
    let t0 = nowMs();

    const finish = (r: Omit<AttemptResult, 't0' | 'end' | 'parser' | 'status'>): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (fbTimer) clearTimeout(fbTimer);
      if (idleTimer) clearTimeout(idleTimer);
      inflight.delete(abort);
      resolve({ t0, end: nowMs(), status, parser, retryAfter, ...r });
    };
    const abort = (code: ErrorCode): void => {
      if (settled) return;
      abortCode = code;
      if (abortReq) abortReq(new Error(code));
      else finish({ ok: false, code, message: describeAbort(code, opts) });
    };
    inflight.add(abort);
    if (opts.timeoutMs > 0) timer = setTimeout(() => abort('E_TIMEOUT'), opts.timeoutMs);
    if (opts.firstByteTimeoutMs > 0) {
      fbTimer = setTimeout(() => {
        drain();
        if (parser.tokenEvents === 0) abort('E_FIRST_BYTE_TIMEOUT');
      }, opts.firstByteTimeoutMs);
    }

    // undici's handler interface (Dispatcher.DispatchHandler). Its
    // onRequestStart runs where the classic onConnect did: in client-h1's
    // writeH1, right before the request bytes are built and written (undici
    // 7's UnwrapHandler calls it from onConnect), so t0 is the moment of the
    // write. Between dispatch and the write, undici may wait a loop turn to
    // reuse a keep-alive socket; when a burst of streams ends together that
    // wait grows with the burst, and it is the client's time, not the
    // server's. Stamping before the write (not after it was sent) keeps TTFT
    // an upper bound: a thread preempted after the syscall would stamp late.
    // test/request-handler.test.ts checks that t0 follows a socket wait.
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        t0 = nowMs();
        abortReq = (err) => controller.abort(err);
        if (abortCode) controller.abort(new Error(abortCode));
      },
      onResponseStart(_controller, statusCode, headers) {
        if (statusCode < 200) return;
        status = statusCode;
        contentType = lastValue(headers['content-type']) ?? '';
        retryAfter = lastValue(headers['retry-after']);
        opts.onHead?.();
      },
      onResponseData(_controller, chunk) {
        const t = nowMs();
        if (idleMs > 0) {
          lastRead = t;
          idleTimer ??= setTimeout(onIdle, idleMs);
        }
        if (status >= 300) {
          if (errBody.length < MAX_ERROR_BODY) errBody += chunk.toString('utf8');
          return;
        }
        if (opts.stream) {
          reads.push(chunk, t);
          // Contiguous from the first byte: a quote with holes could hide part of a key from the mask.
          if (head.length < 256) head += chunk.toString('utf8', 0, 256 - head.length);
        } else plain += chunk.toString('utf8');
      },
      onResponseEnd() {
        const t = nowMs();
        drain();
        if (status >= 300) {
          finish({
            ok: false,
            code: `E_HTTP_${status}`,
            message: `HTTP ${status}: ${summarize(errBody)}${unknownFieldHint(status, opts.body, errBody)}`,
          });
          return;
        }
        if (!opts.stream) {
          if (parser instanceof NulFrameParser) parser.plain(plain, t);
          else parsePlain(parser, plain, t);
          if (parser.error) finish({ ok: false, code: parser.error.code, message: parser.error.message });
          else if (parser.tokenEvents === 0) finish({ ok: false, code: 'E_EMPTY', message: 'response had no text' });
          else finish({ ok: true });
          return;
        }
        parser.end(t);
        if (parser.error) finish({ ok: false, code: parser.error.code, message: parser.error.message });
        else if (parser.events === 0 && head.trim().length > 0) {
          finish({
            ok: false,
            code: 'E_BAD_SSE',
            message: `not an SSE stream (content-type ${contentType || 'none'}): ${summarize(head)}`,
          });
        } else if (parser.events === 0) finish({ ok: false, code: 'E_EMPTY', message: 'empty response body' });
        // Success rule (README "Success rules"): a 2xx stream that ends cleanly
        // with at least one token-bearing event succeeds, with or without
        // `[DONE]` (as AISBench, vLLM and EvalScope count it); the record
        // says which (noDone).
        else if (parser.tokenEvents === 0) finish({ ok: false, code: 'E_EMPTY', message: 'stream carried no tokens' });
        else finish({ ok: true });
      },
      onResponseError(_controller, err) {
        drain();
        if (abortCode) {
          finish({ ok: false, code: abortCode, message: describeAbort(abortCode, opts) });
          return;
        }
        const { code, message } = classifyError(err, status > 0);
        finish({ ok: false, code, message });
      },
    };
    try {
      pool.dispatch(
        {
          method: 'POST',
          path: opts.path,
          headers: opts.headers,
          body: opts.body,
          headersTimeout: 0,
          bodyTimeout: 0,
          blocking: true,
        },
        handler,
      );
    } catch (err) {
      const { code, message } = classifyError(err as Error, false);
      finish({ ok: false, code, message });
    }
  });
}

/** A header undici parsed: a repeated one is an array, whose last value wins (as the raw-header scan did). */
function lastValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function parsePlain(parser: SseTokenParser, body: string, t: number): void {
  try {
    const obj = JSON.parse(body);
    const c = obj?.choices?.[0];
    const text = c?.message?.content ?? c?.text ?? '';
    if (obj?.usage) {
      parser.promptTokens = obj.usage.prompt_tokens ?? -1;
      parser.completionTokens = obj.usage.completion_tokens ?? -1;
    }
    if (typeof text === 'string' && text.length > 0) {
      parser.times.push(t);
      parser.lens.push(text.length);
      parser.tokenEvents++;
      parser.firstAnswer = 0;
      parser.text?.push(text);
    }
    parser.done = true;
  } catch {
    parser.error = {
      code: 'E_BAD_SSE',
      message: `malformed JSON answer: ${summarize(body.slice(0, MAX_ERROR_BODY * 2))}`,
    };
  }
}

function describeAbort(code: ErrorCode, o: AttemptOptions): string {
  if (code === 'E_TIMEOUT') return `request took longer than the ${o.timeoutMs / 1000} s timeout`;
  if (code === 'E_IDLE_TIMEOUT')
    return `no data for ${(o.idleTimeoutMs ?? 0) / 1000} s (idle timeout) in the middle of the answer`;
  if (code === 'E_FIRST_BYTE_TIMEOUT') return `no token within the ${o.firstByteTimeoutMs / 1000} s first-byte timeout`;
  if (code === 'E_ABORTED') return 'cancelled when the run was stopped';
  return code;
}

/**
 * One line, not shortened: the worker masks secrets first and shortens after
 * (cleanMessage in core/redact.ts); the body read is already capped.
 */
/**
 * A server that validates strictly (e.g. an OpenAI-schema gateway) answers
 * 422 (or 400 naming the field) to the ignore_eos the built-in tasks send.
 */
export function unknownFieldHint(status: number, body: string, answer: string): string {
  if (!body.includes('"ignore_eos"')) return '';
  if (status !== 422 && !(status === 400 && /ignore_eos|extra|unrecognized|unknown/i.test(answer))) return '';
  return ' (the request carries ignore_eos, which a server that rejects unknown fields refuses: try --no-ignore-eos)';
}

function summarize(s: string): string {
  return s.replace(/\s+/g, ' ').trim() || '(empty body)';
}

/** Map undici / socket errors to stable codes. */
export function classifyError(
  err: Error & { code?: string; cause?: any },
  responded: boolean,
): { code: ErrorCode; message: string } {
  const c = err.code ?? err.cause?.code ?? '';
  const msg = err.message || String(err);
  if (c === 'UND_ERR_CONNECT_TIMEOUT') return { code: 'E_CONNECT_TIMEOUT', message: 'connect timed out' };
  // Local limits, not the server's fault: say what to raise (issue 17).
  if (c === 'EMFILE' || c === 'ENFILE' || /\bEMFILE\b|\bENFILE\b/.test(msg))
    return {
      code: 'E_FD_LIMIT',
      message: `too many open files (${c || 'EMFILE'}): raise 'ulimit -n' or lower --max-concurrency`,
    };
  if (c === 'EADDRNOTAVAIL' || /\bEADDRNOTAVAIL\b/.test(msg))
    return {
      code: 'E_PORT_LIMIT',
      message:
        'no free local port (EADDRNOTAVAIL): widen net.ipv4.ip_local_port_range, lower --max-concurrency or keep connections alive longer',
    };
  if (c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EHOSTUNREACH')
    return { code: 'E_CONNECT', message: `cannot connect: ${c}` };
  if (c === 'UND_ERR_HEADERS_TIMEOUT') return { code: 'E_FIRST_BYTE_TIMEOUT', message: 'no response headers in time' };
  if (c === 'UND_ERR_BODY_TIMEOUT') return { code: 'E_TIMEOUT', message: 'body timed out' };
  if (c === 'UND_ERR_SOCKET' || c === 'ECONNRESET' || c === 'EPIPE' || c === 'UND_ERR_CLOSED')
    return responded
      ? { code: 'E_STREAM_RESET', message: 'connection closed in the middle of the stream' }
      : { code: 'E_CONNECT', message: `connection closed before a response (${c})` };
  return { code: 'E_UNKNOWN', message: `${c ? c + ': ' : ''}${msg}` };
}
