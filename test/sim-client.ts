/** A raw node:http client for the simulator tests: keeps every chunk with its arrival time. */
import { request } from 'node:http';
import { nowMs } from '../src/engine/clock.js';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Whole body as received (up to an error, if any). */
  text: string;
  /** Body chunks with their arrival times (nowMs clock). */
  chunks: { at: number; text: string }[];
  sentAt: number;
  /** When the status line and headers arrived. */
  headersAt: number;
  /** Error code/message if the connection failed or was cut. */
  error?: string;
}

/** POSTs a JSON body (or GETs when body is undefined) on a fresh connection. */
export function send(
  url: string,
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal } = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: RawAnswer['chunks'] = [];
    const out: RawAnswer = { status: 0, headers: {}, text: '', chunks, sentAt: nowMs(), headersAt: 0 };
    const done = (error?: string): void => {
      out.text = chunks.map((c) => c.text).join('');
      if (error !== undefined && out.error === undefined) out.error = error;
      resolve(out);
    };
    const req = request(
      `${url}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        agent: false,
        signal: opts.signal,
      },
      (res) => {
        out.headersAt = nowMs();
        out.status = res.statusCode ?? 0;
        out.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (text: string) => chunks.push({ at: nowMs(), text }));
        res.on('end', () => done());
        res.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
        res.on('aborted', () => done('aborted'));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    out.sentAt = nowMs();
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

/** The `data:` payloads of an SSE body, in order (the JSON text, or '[DONE]'). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.length > 0)
    .map((e) => {
      if (!e.startsWith('data: ')) throw new Error(`not an SSE data event: ${e.slice(0, 80)}`);
      return e.slice(6);
    });
}

/** A chat body of `words` prompt words. */
export function chatBody(extra: Record<string, unknown> = {}, words = 3): Record<string, unknown> {
  return {
    model: 'sim-model',
    messages: [{ role: 'user', content: Array.from({ length: words }, (_, i) => `w${i}`).join(' ') }],
    stream: true,
    ...extra,
  };
}
