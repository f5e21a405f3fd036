/**
 * The server's own metrics beside the client's, end to end through the built
 * CLI against the batch simulator: the prefix hit rate the run reports equals
 * the simulator's counters; a /metrics that dies mid-run costs no request and
 * one warning; --spec-decode reports what the model predicts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBatchSimulator, type SimServer } from '../src/sim/index.js';
import { cli } from './backend-harness.js';
import { send } from './sim-client.js';

const dirs: string[] = [];
const sims: SimServer[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'aisbench-srvm-'));
  dirs.push(d);
  return d;
}

/** A config dir with a synthetic dataset of `n` 100-word prompts sharing their first 64 words. */
function sharedPrefixConfig(n: number, outTokens: number): string {
  const dir = tmp();
  mkdirSync(path.join(dir, 'datasets'));
  writeFileSync(
    path.join(dir, 'datasets', 'shared_prefix.yaml'),
    [
      'abbr: shared-prefix',
      'type: synthetic',
      'synthetic:',
      '  Type: tokenid',
      `  RequestCount: ${n}`,
      '  TokenIdConfig:',
      '    RequestSize: 100',
      '    PrefixLen: 64',
      `    Output: {Method: uniform, Params: {MinValue: ${outTokens}, MaxValue: ${outTokens}}}`,
      '',
    ].join('\n'),
  );
  return dir;
}

async function run(sim: SimServer, n: number, outTokens: number, extra: string[] = []) {
  const work = tmp();
  const r = await cli(
    [
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'shared_prefix',
      '--config-dir',
      sharedPrefixConfig(n, outTokens),
      '--url',
      sim.url,
      '--max-concurrency',
      '8',
      '--no-tui',
      '-w',
      work,
      ...extra,
    ],
    90_000,
  );
  const runDir = path.join(work, readdirSync(work)[0]!);
  const dir = path.join(runDir, 'performances', 'vllm-api-stream-chat');
  const common = JSON.parse(readFileSync(path.join(dir, 'shared-prefix.json'), 'utf8'));
  const series = readFileSync(path.join(dir, 'shared-prefix_server_metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const log = readFileSync(
    path.join(runDir, 'logs', 'performance', 'vllm-api-stream-chat', 'shared-prefix.out'),
    'utf8',
  );
  return { ...r, dir, common, series, log };
}

async function simCounters(sim: SimServer): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const line of (await send(sim.url, '/metrics')).text.split('\n')) {
    const r = /^([\w:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (r) m.set(r[1]! + (r[2]?.match(/position="\d+"/)?.[0] ?? ''), Number(r[3]));
  }
  return m;
}

describe('server metrics (--server-metrics, on by default when /metrics answers)', () => {
  it('reports the prefix hit rate of shared-prefix prompts as the simulator counts it (within 1 %)', async () => {
    const sim = await startBatchSimulator({ stepBaseMs: 5, stepPerSeqMs: 0.2, prefillTokensPerMs: 20, blockSize: 16 });
    sims.push(sim);
    const r = await run(sim, 40, 30);
    expect(r.code, r.stderr).toBe(0);
    const c = await simCounters(sim);
    // The simulator served only this task (warmup included, after the baseline scrape).
    const simRate = (100 * c.get('vllm:prefix_cache_hits_total')!) / c.get('vllm:prefix_cache_queries_total')!;
    // 64 shared words = 4 blocks of 16 out of 100 prompt tokens: at most 64 % once cached.
    expect(simRate).toBeGreaterThan(40);
    expect(simRate).toBeLessThanOrEqual(64);
    const row = Number.parseFloat(r.common['Server Prefix Cache Hit Rate'].total);
    expect(Math.abs(row - simRate)).toBeLessThan(1);
    // The board shows the latest point; the last one is scraped after the last request.
    const last = r.series.at(-1);
    expect(Math.abs(last.prefix_hit_pct - simRate)).toBeLessThan(1);
    expect(r.series[0].t).toBeLessThan(0); // the baseline, before the run start
    expect(r.series.some((p: { running?: number }) => (p.running ?? 0) > 0)).toBe(true);
    expect(r.stdout).toMatch(/Server Running \(mean\)/);
  });

  it('a /metrics that dies mid-run loses no request and leaves one warning', async () => {
    const sim = await startBatchSimulator({ stepBaseMs: 10, stepPerSeqMs: 0.5, metricsDownAfterMs: 1500 });
    sims.push(sim);
    // 48 requests x 40 tokens at 8 concurrent, 14 ms steps: about 6 waves of 0.56 s = 3.4 s.
    const r = await run(sim, 48, 40);
    expect(r.code, r.stderr).toBe(0);
    expect(r.common['Success Requests'].total).toBe('48');
    expect(r.common['Failed Requests'].total).toBe('0');
    const warnings = r.log.split('\n').filter((l) => l.includes('[WARNING]'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/server metrics: scrape of http:\/\/127\.0\.0\.1:\d+\/metrics failed \(HTTP 503\)/);
    expect(r.series.some((p: { missing?: boolean }) => p.missing)).toBe(true);
    expect(r.series.some((p: { missing?: boolean; running?: number }) => !p.missing && p.running !== undefined)).toBe(
      true,
    );
    expect(Object.keys(r.common).some((k) => k.endsWith('(partial)'))).toBe(true);
  });

  it('--spec-decode: acceptance rate and length as the model predicts (k = 3, p = 0.6) within 5 %', async () => {
    const sim = await startBatchSimulator({
      stepBaseMs: 1,
      stepPerSeqMs: 0.05,
      specTokens: 3,
      specAccept: 0.6,
      seed: 11,
    });
    sims.push(sim);
    const r = await run(sim, 48, 100, ['--spec-decode']);
    expect(r.code, r.stderr).toBe(0);
    const file = readdirSync(r.dir).find((f) => /^spec_decode_127\.0\.0\.1_\d+\.json$/.test(f));
    expect(file).toBeDefined();
    const rep = JSON.parse(readFileSync(path.join(r.dir, file!), 'utf8'));
    // E[accepted] = 0.6 + 0.36 + 0.216 = 1.176: rate 1.176 / 3 = 0.392, mean length 2.176; positions 0.6, 0.36, 0.216.
    expect(Math.abs(rep.acceptance_rate / 0.392 - 1)).toBeLessThan(0.05);
    expect(Math.abs(rep.mean_acceptance_length / 2.176 - 1)).toBeLessThan(0.05);
    expect(rep.acceptance_rate_per_position).toHaveLength(3);
    expect(Math.abs(rep.acceptance_rate_per_position[0] / 0.6 - 1)).toBeLessThan(0.05);
    // And exactly the simulator's own counters (it served only this task).
    const c = await simCounters(sim);
    expect(rep.num_drafts).toBe(c.get('vllm:spec_decode_num_drafts_total'));
    expect(rep.num_accepted_tokens).toBe(c.get('vllm:spec_decode_num_accepted_tokens_total'));
    expect(r.stdout).toMatch(/Spec Decode Acceptance Rate\s*│\s*total\s*│\s*\d/);
    expect(r.stdout).toMatch(/Spec Decode Mean Acceptance Length/);
  });
});
