/**
 * Issue 17, secrets and terminal safety. Units of the masking and sanitising
 * functions, then the built CLI against small servers written here: one that
 * echoes the request's credentials inside error texts of every length (so
 * every length cap cuts a key somewhere), one that answers terminal escape
 * sequences. Needs dist/ (`npm run build`).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanMessage, collectSecrets, redact, redactText, redactUrl } from '../src/core/redact.js';
import { sanitizeText } from '../src/core/sanitize.js';
import { cli, sseAnswer, startServer, walkFiles } from './hostile-helpers.js';

/** Every run of 8 characters of `secret` found in `text`, for the failure message. */
function leaks(text: string, secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 8))) out.push(secret.slice(i, i + 8));
  return out;
}

describe('masking', () => {
  const key = 'sk-Zq81mXc4Lw0pRt5yBv7n';
  it('masks a key cut at any point by a length cap (fragments of 6+ characters)', () => {
    for (let cut = 0; cut <= key.length; cut++) {
      const text = `Invalid key ${key.slice(0, cut)}... (${key.slice(cut)})`;
      const masked = redactText(text, [key]);
      expect(leaks(masked, key), masked).toEqual([]);
    }
  });

  it('masks before shortening and keeps other text', () => {
    const raw = 'x'.repeat(290) + key + ' tail';
    const m = cleanMessage(raw, [key], 300);
    expect(m.length).toBeLessThanOrEqual(300);
    expect(leaks(m, key)).toEqual([]);
    expect(redactText('Bearer token expired', ['Bearer sk-Zq81mXc4Lw0pRt5yBv7n', key])).toBe('Bearer token expired');
  });

  it('treats X-Auth-like headers and credential query parameters as secrets', () => {
    const s = collectSecrets([
      {
        headers: { 'X-Auth': 'xa-12345678', 'x-session': 'sess-abcdefgh', 'X-Trace': 'keep-me' },
        url: 'http://127.0.0.1:8000/v1?api-key=qk%2B987654&mode=fast&access_token=at-13579',
      },
    ]);
    expect(s).toEqual(expect.arrayContaining(['xa-12345678', 'sess-abcdefgh', 'qk+987654', 'qk%2B987654', 'at-13579']));
    expect(s).not.toContain('keep-me');
    expect(s).not.toContain('fast');
    expect(redactUrl('http://u:pw@h:1/v1?api-key=qk&mode=fast&sig=zz')).toBe(
      'http://u:***@h:1/v1?api-key=***&mode=fast&sig=***',
    );
    expect(redact({ url: 'http://h:1/?token=t1', headers: { 'X-Auth': 'a', Accept: 'b' } })).toEqual({
      url: 'http://h:1/?token=***',
      headers: { 'X-Auth': '***', Accept: 'b' },
    });
  });
});

describe('sanitizeText', () => {
  it('removes CSI, OSC (BEL or ST), DCS, C1, C0, DEL and bidi overrides', () => {
    const evil =
      'a\x1b]0;pwned title\x07b\x1b[2K\rc\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\d\x9b31me\x1bPq#0\x1b\\f\x00\x7f\u202eg\x1bch';
    const s = sanitizeText(evil);
    expect(s).toBe('abclinkdefgh');
    expect(sanitizeText('one\ttwo\nthree')).toBe('one two three');
    expect(sanitizeText('one\ntwo\r\n', true)).toBe('one\ntwo\n');
    expect(sanitizeText('plain ✓ 漢字')).toBe('plain ✓ 漢字');
  });
});

/** An escape-free string of `n` characters from `seed`, for keys nobody could guess. */
function key(prefix: string, seed: number, n = 40): string {
  const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let x = seed;
  let s = prefix;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += abc[x % abc.length];
  }
  return s;
}

describe('a server that echoes the credentials in errors of every length', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-echo17-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const API_KEY = key('sk-', 17);
  const X_AUTH = key('xa-', 4711);
  const Q_KEY = key('qk', 99);

  it('no run-folder file, stdout or stderr line holds 8 consecutive characters of any key', async () => {
    let n = 0;
    const seenQuery: string[] = [];
    const srv = await startServer((req, res) => {
      const i = n++;
      seenQuery.push(req.url ?? '');
      // Pads of 0..2,399 characters put the credentials across every cap (120, 200, 256, 300, 2,048).
      const pad = 'p'.repeat((i * 97) % 2400);
      const echo = `${pad}auth=${req.headers.authorization} x-auth=${req.headers['x-auth']} url=${req.url} end`;
      const split = (i * 13) % 300;
      const send = (status: number, type: string, body: string) => {
        res.writeHead(status, { 'content-type': type });
        res.write(body.slice(0, split));
        setTimeout(() => res.end(body.slice(split)), 2);
      };
      if (i % 3 === 0) send(i % 2 ? 401 : 500, 'application/json', JSON.stringify({ error: { message: echo } }));
      else if (i % 3 === 1) send(200, 'text/html', `<html>${echo}</html>`);
      else send(200, 'text/event-stream', `data: ${JSON.stringify({ error: { message: echo } })}\n\n`);
    });
    try {
      const cfg = path.join(tmp, 'cfg');
      mkdirSync(path.join(cfg, 'models'), { recursive: true });
      writeFileSync(
        path.join(cfg, 'models', 'echo.yaml'),
        [
          'abbr: echo',
          `url: "${srv.url}/v1?api-key=${Q_KEY}&mode=x"`,
          'headers:',
          `  X-Auth: ${X_AUTH}`,
          'retry: 0',
          'batch_size: 4',
          '',
        ].join('\n'),
      );
      const work = path.join(tmp, 'work');
      const r = await cli([
        '--models',
        'echo',
        '--datasets',
        'synthetic_gen',
        '--config-dir',
        cfg,
        '--api-key',
        API_KEY,
        '--num-prompts',
        '75',
        '--num-warmups',
        '0',
        '--no-tui',
        '--debug',
        '-w',
        work,
        '--export',
        'txt,ansi,svg,html',
      ]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // The query parameter reached the server, on the requests and on /v1/models.
      expect(seenQuery.length).toBe(75);
      expect(seenQuery.every((q) => q.includes(`api-key=${Q_KEY}`))).toBe(true);
      const files = walkFiles(work);
      expect(files.some((f) => f.endsWith('_details.jsonl'))).toBe(true);
      expect(files.some((f) => f.endsWith('_config.yaml'))).toBe(true);
      expect(files.some((f) => f.endsWith('.out'))).toBe(true);
      const details = readFileSync(
        files.find((f) => f.endsWith('_details.jsonl'))!,
        'utf8',
      );
      expect(details).toMatch(/E_HTTP_500/);
      expect(details).toMatch(/E_BAD_SSE/);
      expect(details).toMatch(/E_SERVER_ERROR/);
      for (const secret of [API_KEY, X_AUTH, Q_KEY]) {
        for (const f of files) expect(leaks(readFileSync(f).toString('latin1'), secret), f).toEqual([]);
        expect(leaks(r.stdout, secret), 'stdout').toEqual([]);
        expect(leaks(r.stderr, secret), 'stderr').toEqual([]);
      }
      // The config says which header was there, not its value.
      const conf = readFileSync(
        files.find((f) => f.endsWith('_config.yaml'))!,
        'utf8',
      );
      expect(conf).toMatch(/X-Auth: "?\*\*\*/);
      expect(conf).toContain('api-key=***&mode=x');
      expect(readdirSync(work)).toHaveLength(1);
    } finally {
      await srv.close();
    }
  }, 90_000);
});

describe('a server that answers terminal escape sequences', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-esc17-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const EVIL =
    '\x1b]0;PWNED\x07\x1b[2K\r\x1b[32mall requests OK\x1b[0m\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\\x9b2J\x07\x00';

  it("no ESC, BEL or C1 byte reaches stdout, stderr, logs or exports (besides the app's own SGR styling in .ansi)", async () => {
    let n = 0;
    const srv = await startServer((_req, res) => {
      const i = n++;
      if (i % 3 === 0) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end(`overloaded ${EVIL}`);
      } else if (i % 3 === 1) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: {"error":{"message":${JSON.stringify(EVIL)}}}\n\n`);
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sseAnswer(EVIL, 3));
      }
    });
    try {
      const work = path.join(tmp, 'work');
      const r = await cli([
        '--models',
        'vllm_api_stream_chat',
        '--datasets',
        'synthetic_gen',
        '--url',
        srv.url,
        '--retry',
        '0',
        '--num-prompts',
        '30',
        '--num-warmups',
        '0',
        '--no-tui',
        '--debug',
        '-w',
        work,
        '--export',
        'txt,ansi,svg,html',
      ]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code, r.stderr).toBe(0);
      const CTRL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
      expect(r.stdout).not.toMatch(CTRL);
      expect(r.stderr).not.toMatch(CTRL);
      expect(r.stdout).toMatch(/E_HTTP_503/);
      const files = walkFiles(work);
      const logs = files.filter((f) => f.endsWith('.out'));
      expect(logs).toHaveLength(1);
      expect(readFileSync(logs[0]!, 'utf8')).toMatch(/E_HTTP_503: HTTP 503: overloaded all requests OKclick/);
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        if (f.endsWith('.ansi')) {
          // Only Select Graphic Rendition (colour) sequences of the app itself.
          expect(text.replace(/\x1b\[[0-9;]*m/g, ''), f).not.toMatch(CTRL);
        } else if (!f.endsWith('.html')) {
          // JSON files may hold escaped text (\u001b), never the raw byte.
          expect(text, f).not.toMatch(CTRL);
        }
      }
    } finally {
      await srv.close();
    }
  }, 90_000);
});
