/**
 * HTTPS end to end: the batch simulator serves TLS with a certificate made
 * here (openssl), and the CLI runs against it with --ca-cert (verified) or
 * --insecure (not verified, one warning line); without either it refuses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBatchSimulator, type SimServer } from '../src/sim/index.js';
import { cli, expectNumbers, runBackend } from './backend-harness.js';

let dir: string;
let sim: SimServer;
let cert: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'aisbench-tls-'));
  cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  // A self-signed certificate for 127.0.0.1: it is its own CA.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  sim = await startBatchSimulator({
    stepBaseMs: 2,
    stepPerSeqMs: 0.1,
    tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') },
  });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('https:// targets', () => {
  it('--ca-cert: a demo-sized run with the chat number checks, server metrics over TLS too', async () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const before = sim.requestLog().length;
    const run = await runBackend(sim, 'vllm_api_stream_chat', 24, ['--ca-cert', cert]);
    const seen = sim.requestLog().slice(before);
    expectNumbers(run, { ...sim, requestLog: () => seen }, '/v1/chat/completions', 24, true);
    expect(run.stderr).toBe('');
    expect(run.common['Server Running (mean)']).toBeDefined();
  }, 60_000);

  it('--insecure: runs, with one warning line', async () => {
    const before = sim.requestLog().length;
    const run = await runBackend(sim, 'vllm_api_stream_chat', 16, ['--insecure']);
    const seen = sim.requestLog().slice(before);
    expectNumbers(run, { ...sim, requestLog: () => seen }, '/v1/chat/completions', 16, true);
    expect(run.stderr.trim().split('\n')).toEqual([
      'aisbench-tui: warning: --insecure: server certificates are not verified',
    ]);
  }, 60_000);

  it('refuses an unverified certificate, and a bad --ca-cert file is a usage error', async () => {
    const work = path.join(dir, 'w');
    const r = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen_demo',
      '--url',
      sim.url,
      '--num-prompts',
      '4',
      '--no-tui',
      '-w',
      work,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/SELF_SIGNED|certificate/i);
    const bad = await cli([
      '--models',
      'vllm_api_stream_chat',
      '--datasets',
      'synthetic_gen_demo',
      '--url',
      sim.url,
      '--ca-cert',
      path.join(dir, 'nope.pem'),
      '--no-tui',
      '-w',
      work,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^aisbench-tui: --ca-cert: cannot read .*nope\.pem \(ENOENT\)$/);
  }, 60_000);
});
