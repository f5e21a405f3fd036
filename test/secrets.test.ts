/**
 * Secrets never reach a file. Unit tests of the redaction helpers, then an
 * end-to-end run of the BUILT CLI (needs `npx tsc -p .` first, and the
 * integrated main.ts) that greps every file of the run folder for the keys.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { collectSecrets, redact, redactText } from '../src/core/redact.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = process.env.AISBENCH_TUI_BIN ?? path.join(ROOT, 'bin', 'aisbench-tui.mjs');

describe('redact', () => {
  test('api keys anywhere and secret headers, not other fields', () => {
    const input = {
      key: 'sim-a/demo',
      cli: { apiKey: 'sk-1', url: 'http://h:1', maxConcurrency: 4 },
      url: 'https://me:pw@host:8000/v1',
      tasks: [
        {
          model: {
            api_key: 'sk-2',
            max_out_len: 5,
            headers: {
              'Content-Type': 'application/json',
              Authorization: 'Bearer t',
              'x-api-key': 'k',
              'Proxy-Authorization': 'p',
              'api-key': 'a',
              'X-Auth-Token': 't2',
              'X-Client-Secret': 's',
              'X-Trace': 'keep',
            },
            generation_kwargs: { temperature: 0, max_tokens: 5 },
          },
        },
      ],
      empty: { api_key: '' },
    };
    expect(redact(input)).toEqual({
      key: 'sim-a/demo',
      cli: { apiKey: '***', url: 'http://h:1', maxConcurrency: 4 },
      url: 'https://me:***@host:8000/v1',
      tasks: [
        {
          model: {
            api_key: '***',
            max_out_len: 5,
            headers: {
              'Content-Type': 'application/json',
              Authorization: '***',
              'x-api-key': '***',
              'Proxy-Authorization': '***',
              'api-key': '***',
              'X-Auth-Token': '***',
              'X-Client-Secret': '***',
              'X-Trace': 'keep',
            },
            generation_kwargs: { temperature: 0, max_tokens: 5 },
          },
        },
      ],
      empty: { api_key: '' },
    });
    expect(input.cli.apiKey).toBe('sk-1'); // a copy, not in place
  });

  test('collectSecrets and redactText mask header values with and without their scheme', () => {
    const secrets = collectSecrets([
      {
        model: {
          api_key: 'sk-AAAA',
          headers: { Authorization: 'Bearer tok-BBBB', 'Content-Type': 'application/json' },
        },
      },
      { apiKey: 'sk-CCCC', url: 'http://me:pw-DDDD@127.0.0.1:8000' },
    ]);
    expect(secrets.sort()).toEqual([
      'Bearer tok-BBBB',
      'Bearer%20tok-BBBB',
      'pw-DDDD',
      'sk-AAAA',
      'sk-CCCC',
      'tok-BBBB',
    ]);
    expect(redactText('auth=Bearer tok-BBBB key=sk-AAAA raw=tok-BBBB sk-CCCC', secrets)).toBe(
      'auth=*** key=*** raw=*** ***',
    );
    expect(redactText('a b', ['', 'a'])).toBe('a b'); // too short to mask safely
  });
});

/** Every regular file under dir. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

// Needs the integrated CLI (main.ts → parseCli/resolveTasks/runPerf) and the built dist/.
describe('a run with distinctive secrets leaves none on disk', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-secrets-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const SECRETS = ['sk-DISTINCTIVE-123', 'sk-CONFIG-SECRET-456', 'tok-HEADER-SECRET-789', 'xk-CUSTOM-SECRET-000'];

  test('--demo-tasks 1 --api-key ... with a config dir carrying api_key and auth headers', () => {
    const cfg = path.join(tmp, 'cfg');
    mkdirSync(path.join(cfg, 'models'), { recursive: true });
    // Replaces the built-in sim_stream_chat, from which the demo tasks derive.
    writeFileSync(
      path.join(cfg, 'models', 'sim_stream_chat.yaml'),
      [
        'abbr: sim-secret',
        'api: chat',
        'api_key: sk-CONFIG-SECRET-456',
        'headers:',
        '  Authorization: Bearer tok-HEADER-SECRET-789',
        '  X-Api-Key: xk-CUSTOM-SECRET-000',
        'batch_size: 8',
        'retry: 0',
        'sim: {ttft_ms: 2, itl_ms: 1}',
        '',
      ].join('\n'),
    );
    const work = path.join(tmp, 'work');
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        '--demo-tasks',
        '1',
        '--api-key',
        SECRETS[0]!,
        '--no-tui',
        '--config-dir',
        cfg,
        '-w',
        work,
        '--num-prompts',
        '40',
        '--export',
        'txt,ansi,svg,html',
      ],
      {
        cwd: tmp,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    expect(r.stderr).not.toMatch(/ {4}at /);
    expect(r.status, r.stderr).toBe(0);
    const runs = readdirSync(work);
    expect(runs).toHaveLength(1);
    const files = walk(path.join(work, runs[0]!));
    // The config, the log, the results and the details were all written.
    const rel = files.map((f) => path.relative(path.join(work, runs[0]!), f));
    expect(rel.some((f) => f.startsWith('configs'))).toBe(true);
    expect(rel.some((f) => f.startsWith(path.join('logs', 'performance')))).toBe(true);
    expect(rel.some((f) => f.endsWith('.csv'))).toBe(true);
    expect(rel.some((f) => f.includes('_details'))).toBe(true);
    expect(
      rel.some((f) => f.endsWith('.svg')),
      'exported screen',
    ).toBe(true);
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      for (const s of SECRETS) expect(text.includes(s), `${s} found in ${f}`).toBe(false);
    }
    for (const s of SECRETS) {
      expect(r.stdout.includes(s), `${s} on stdout`).toBe(false);
      expect(r.stderr.includes(s), `${s} on stderr`).toBe(false);
    }
  }, 90_000);
});
