/**
 * Shared by the hostile-server tests: run the built CLI, list a run folder,
 * and start small misbehaving HTTP servers on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(root, 'bin', 'aisbench-tui.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(
  args: string[],
  opts: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', ...opts.env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

/** Every regular file under dir. */
export function walkFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walkFiles(p) : [p];
  });
}

export interface TestServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** An http server on 127.0.0.1 that answers GET /v1/models itself and POSTs through `onPost` (body read first). */
export async function startServer(
  onPost: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<TestServer> {
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'hostile-model' }] }));
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => onPost(req, res, Buffer.concat(parts).toString('utf8')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One streamed chat answer: `tokens` chunks carrying `text`, then [DONE]. */
export function sseAnswer(text: string, tokens: number): string {
  let out = '';
  for (let i = 0; i < tokens; i++) out += `data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`;
  return out + 'data: [DONE]\n\n';
}
