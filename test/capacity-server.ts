/**
 * A small OpenAI-compatible streaming server whose latency grows with load,
 * written for the capacity tests (not the project's simulator): the first
 * token of a request comes `baseMs + perOpenMs × open` after it arrives,
 * where `open` counts the requests in progress, this one included; then
 * `max_tokens` tokens one every `itlMs`. In a closed loop at concurrency c,
 * open ≤ c, so the p99 TTFT is close to baseMs + perOpenMs × c and the
 * largest c meeting `ttft:p99<=X` is ⌊(X − baseMs) / perOpenMs⌋.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadServer {
  url: string;
  /** Largest number of requests open at once so far. */
  peakOpen: () => number;
  close: () => Promise<void>;
}

/** `tokens`: answer length regardless of max_tokens (keeps tests short). */
export async function startLoadServer(o: {
  baseMs: number;
  perOpenMs: number;
  itlMs: number;
  tokens?: number;
}): Promise<LoadServer> {
  let open = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/v1/models')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'load-model', object: 'model' }] }));
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      open++;
      peak = Math.max(peak, open);
      let n = 8;
      try {
        n = o.tokens ?? Math.max(1, Math.min(512, Number(JSON.parse(body).max_tokens) || 8));
      } catch {
        /* default length */
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (text: string) =>
        `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text } }] })}\n\n`;
      let sent = 0;
      let closed = false;
      const done = (): void => {
        if (closed) return;
        closed = true;
        open--;
      };
      res.on('close', done);
      const next = (): void => {
        if (closed) return;
        res.write(chunk(`t${sent} `));
        sent++;
        if (sent < n) setTimeout(next, o.itlMs);
        else {
          res.write(
            `data: ${JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 4, completion_tokens: n, total_tokens: n + 4 } })}\n\n`,
          );
          res.end('data: [DONE]\n\n');
          done();
        }
      };
      setTimeout(next, o.baseMs + o.perOpenMs * open);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    peakOpen: () => peak,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
