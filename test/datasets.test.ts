import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import type { DatasetTask, SyntheticConfig } from '../src/config/types.js';
import { loadDataset, type LoadOptions } from '../src/datasets/index.js';
import { validateSynthetic } from '../src/datasets/synthetic.js';
import { BLOCK_TOKENS } from '../src/datasets/trace.js';
import { countWords } from '../src/datasets/words.js';

const fx = (f: string) => join(import.meta.dirname, '..', 'fixtures', f);
const chat: LoadOptions = { api: 'chat', maxOutLen: 100 };
const comp: LoadOptions = { api: 'completions', maxOutLen: 100 };
const task = (type: DatasetTask['type'], path = '', synthetic?: SyntheticConfig): DatasetTask => ({
  abbr: type,
  type,
  path,
  synthetic,
});
const uniform = (min: number, max: number) => ({
  Method: 'uniform' as const,
  Params: { MinValue: min, MaxValue: max },
});
const stringCfg = (input: SyntheticConfig['StringConfig'] extends infer T ? T : never, n = 200): SyntheticConfig => ({
  Type: 'string',
  RequestCount: n,
  StringConfig: input,
});

async function usageError(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  const msg = (e as Error).message;
  expect(msg).not.toContain('\n');
  return msg;
}

describe('synthetic', () => {
  it('uniform lengths stay in range; words = input target; output → maxOutLen', async () => {
    const cfg = stringCfg({ Input: uniform(50, 500), Output: uniform(20, 200) });
    const ds = await loadDataset(task('synthetic', '', cfg), { ...chat, seed: 1 });
    expect(ds.requests).toHaveLength(200);
    const ins = ds.requests.map((r) => r.inputTokens!);
    for (const r of ds.requests) {
      expect(r.messages).toHaveLength(1);
      expect(countWords(r.messages![0]!.content)).toBe(r.inputTokens);
      expect(r.maxOutLen).toBeGreaterThanOrEqual(20);
      expect(r.maxOutLen).toBeLessThanOrEqual(200);
    }
    expect(Math.min(...ins)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...ins)).toBeLessThanOrEqual(500);
    expect(new Set(ins).size).toBeGreaterThan(100);
  });

  it('gaussian is clamped with the right centre; zipf favours MinValue', async () => {
    const cfg = stringCfg(
      {
        Input: { Method: 'gaussian', Params: { Mean: 300, Var: 2500, MinValue: 250, MaxValue: 400 } },
        Output: { Method: 'zipf', Params: { Alpha: 2, MinValue: 10, MaxValue: 100 } },
      },
      2000,
    );
    const ds = await loadDataset(task('synthetic', '', cfg), { ...comp, seed: 9 });
    const ins = ds.requests.map((r) => r.inputTokens!);
    const outs = ds.requests.map((r) => r.maxOutLen);
    expect(Math.min(...ins)).toBe(250); // clamped lower tail (1 sd below the mean)
    expect(Math.max(...ins)).toBeLessThanOrEqual(400);
    const median = [...ins].sort((a, b) => a - b)[1000]!;
    expect(Math.abs(median - 300)).toBeLessThan(6);
    // P(k=1) = 1/ζ(2) ≈ 0.61 over a long range.
    const atMin = outs.filter((o) => o === 10).length / outs.length;
    expect(atMin).toBeGreaterThan(0.55);
    expect(atMin).toBeLessThan(0.67);
    expect(Math.max(...outs)).toBeLessThanOrEqual(100);
    expect(typeof ds.requests[0]!.prompt).toBe('string');
  });

  it('is reproducible by seed, and --num-prompts takes the first N', async () => {
    const cfg = stringCfg({ Input: uniform(5, 50), Output: uniform(5, 50) }, 30);
    const a = await loadDataset(task('synthetic', '', cfg), { ...comp, seed: 4 });
    const b = await loadDataset(task('synthetic', '', cfg), { ...comp, seed: 4, numPrompts: 10 });
    const c = await loadDataset(task('synthetic', '', cfg), { ...comp, seed: 5 });
    expect(b.requests).toEqual(a.requests.slice(0, 10));
    expect(c.requests).not.toEqual(a.requests);
    await usageError(loadDataset(task('synthetic', '', cfg), { ...comp, numPrompts: 0 }));
  });

  it('tokenid: RequestSize words, first PrefixLen shared by all', async () => {
    const cfg: SyntheticConfig = {
      Type: 'tokenid',
      RequestCount: 20,
      TokenIdConfig: { RequestSize: 64, PrefixLen: 24 },
    };
    const ds = await loadDataset(task('synthetic', '', cfg), { ...comp, seed: 2 });
    const words = ds.requests.map((r) => r.prompt!.split(' '));
    for (const w of words) {
      expect(w).toHaveLength(64);
      expect(w.slice(0, 24)).toEqual(words[0]!.slice(0, 24));
    }
    expect(new Set(words.map((w) => w.slice(24).join(' '))).size).toBe(20);
    expect(ds.requests.every((r) => r.maxOutLen === 100 && r.inputTokens === 64)).toBe(true);
  });

  it('rejects out-of-range configs naming the field', () => {
    const bad: [SyntheticConfig, RegExp][] = [
      [stringCfg({ Input: uniform(500, 50), Output: uniform(1, 2) }), /Input\.Params\.MaxValue/],
      [stringCfg({ Input: uniform(0, 50), Output: uniform(1, 2) }), /Input\.Params\.MinValue/],
      [
        stringCfg({
          Input: uniform(1, 5),
          Output: { Method: 'zipf', Params: { Alpha: 0.8, MinValue: 1, MaxValue: 9 } },
        }),
        /Alpha/,
      ],
      [
        stringCfg({
          Input: uniform(1, 5),
          Output: { Method: 'gaussian', Params: { Mean: 3, Var: -1, MinValue: 1, MaxValue: 9 } },
        }),
        /Var/,
      ],
      [
        { Type: 'string', RequestCount: 0, StringConfig: { Input: uniform(1, 2), Output: uniform(1, 2) } },
        /RequestCount/,
      ],
      [{ Type: 'tokenid', RequestCount: 3, TokenIdConfig: { RequestSize: 10, PrefixLen: 11 } }, /PrefixLen/],
      [{ Type: 'tokenid', RequestCount: 3 }, /TokenIdConfig/],
    ];
    for (const [cfg, re] of bad) expect(() => validateSynthetic(cfg)).toThrow(re);
  });
});

describe('custom', () => {
  it('reads JSONL with per-line max_out_len, skipping blank lines', async () => {
    const ds = await loadDataset(task('custom', fx('custom.jsonl')), chat);
    expect(ds.requests.map((r) => r.maxOutLen)).toEqual([64, 100, 32, 20]);
    expect(ds.requests.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(ds.requests[0]!.messages).toEqual([
      { role: 'user', content: 'Explain in one paragraph why the sky looks blue.' },
    ]);
    expect(ds.requests[0]!.inputTokens).toBeUndefined();
  });

  it('reads CSV with quotes and embedded newlines', async () => {
    const ds = await loadDataset(task('custom', fx('custom.csv')), { ...comp, numPrompts: 3 });
    expect(ds.requests.map((r) => r.prompt)).toEqual([
      'Summarize the plot of a heist movie, in two sentences.',
      'Name the planets of the solar system.',
      'A prompt with "quotes" and a\nline break',
    ]);
    expect(ds.requests.map((r) => r.maxOutLen)).toEqual([48, 100, 16]);
  });

  it('names the file and line of a malformed line', async () => {
    const msg = await usageError(loadDataset(task('custom', fx('bad-line.jsonl')), chat));
    expect(msg).toMatch(/^custom dataset .*bad-line\.jsonl: line 3: invalid JSON$/);
    // The bad line is past the first two prompts: --num-prompts 2 never reads it.
    expect((await loadDataset(task('custom', fx('bad-line.jsonl')), { ...chat, numPrompts: 2 })).requests).toHaveLength(
      2,
    );
  });

  it('rejects empty, missing, pathless and wrongly typed inputs', async () => {
    expect(await usageError(loadDataset(task('custom', fx('empty.jsonl')), chat))).toMatch(
      /dataset .*empty\.jsonl is empty/,
    );
    expect(await usageError(loadDataset(task('custom', fx('nope.jsonl')), chat))).toMatch(
      /nope\.jsonl: file not found/,
    );
    expect(await usageError(loadDataset(task('custom', ''), chat))).toMatch(/--dataset-path/);
    const dir = mkdtempSync(join(tmpdir(), 'ds-'));
    writeFileSync(join(dir, 'a.jsonl'), '{"prompt": "ok"}\n{"prompt": "x", "max_out_len": -2}\n');
    expect(await usageError(loadDataset(task('custom', join(dir, 'a.jsonl')), chat))).toMatch(/line 2: max_out_len/);
    writeFileSync(join(dir, 'b.csv'), 'text\nhello\n');
    expect(await usageError(loadDataset(task('custom', join(dir, 'b.csv')), chat))).toMatch(/"prompt" column/);
    writeFileSync(join(dir, 'c.csv'), 'prompt,max_out_len\na,1\nb,2,3\n');
    expect(await usageError(loadDataset(task('custom', join(dir, 'c.csv')), chat))).toMatch(
      /c\.csv: line 3: invalid CSV/,
    );
    writeFileSync(join(dir, 'd.jsonl'), '{"prompt": 5}\n');
    expect(await usageError(loadDataset(task('custom', join(dir, 'd.jsonl')), chat))).toMatch(/line 1: "prompt"/);
  });

  it('chat_multiturn sends each request as a one-turn conversation', async () => {
    const ds = await loadDataset(task('custom', fx('custom.jsonl')), { ...chat, api: 'chat_multiturn' });
    expect(ds.conversations).toEqual(ds.requests.map((r) => [r]));
  });
});

describe('gsm8k', () => {
  it('builds a 4-shot chat prompt ending with the question', async () => {
    const ds = await loadDataset(task('gsm8k', fx('gsm8k-sample.jsonl')), chat);
    expect(ds.requests).toHaveLength(5);
    const m = ds.requests[1]!.messages!;
    expect(m.map((x) => x.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(m[8]!.content).toContain('Mia walks 3 km');
    expect(m[8]!.content).toMatch(/Let's think step by step\nAnswer:$/);
    expect(m[1]!.content).toMatch(/The answer is \d+$/);
  });

  it('builds one completions string; bad entries name their line', async () => {
    const ds = await loadDataset(task('gsm8k', fx('gsm8k-sample.jsonl')), { ...comp, numPrompts: 2 });
    expect(ds.requests).toHaveLength(2);
    const p = ds.requests[0]!.prompt!;
    expect(p.match(/Question: /g)).toHaveLength(5);
    expect(p).toContain('A library has 4 shelves');
    const msg = await usageError(loadDataset(task('gsm8k', fx('custom.jsonl')), comp));
    expect(msg).toMatch(/custom\.jsonl: line 1: "question"/);
  });
});

describe('sharegpt', () => {
  it('turns conversations into user turns with answer-sized max_out_len', async () => {
    const ds = await loadDataset(task('sharegpt', fx('sharegpt.json')), { api: 'chat_multiturn', maxOutLen: 12 });
    const convs = ds.conversations!;
    expect(convs).toHaveLength(3); // the answer-only conversation has no user turn
    const [a, b, c] = convs as [(typeof convs)[0], (typeof convs)[0], (typeof convs)[0]];
    expect(a.map((t) => t.turn)).toEqual([0, 1, 2]);
    expect(a.every((t) => t.id === 0)).toBe(true);
    expect(a[0]!.messages).toEqual([
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'What is a prime number?' },
    ]);
    expect(a[1]!.messages).toEqual([{ role: 'user', content: 'Is 21 prime?' }]);
    // 12 words capped at 12; 6 words; no answer → maxOutLen.
    expect(a.map((t) => t.maxOutLen)).toEqual([12, 6, 12]);
    expect(b.map((t) => t.maxOutLen)).toEqual([1]);
    expect(c.map((t) => t.maxOutLen)).toEqual([12, 1]);
    expect(c[1]!.id).toBe(2);
    expect(ds.requests).toEqual([a[0], b[0], c[0]]);
  });

  it('reads JSONL too, honours --num-prompts per conversation, and rejects junk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-'));
    const f = join(dir, 'c.jsonl');
    writeFileSync(
      f,
      [
        '{"conversations":[{"from":"human","value":"hi"},{"from":"gpt","value":"hello there"}]}',
        '{"messages":[{"role":"user","content":"x"}]}',
        '{"conversations": 3}',
      ].join('\n'),
    );
    const ds = await loadDataset(task('sharegpt', f), { ...comp, numPrompts: 2 });
    expect(ds.requests.map((r) => [r.prompt, r.maxOutLen])).toEqual([
      ['hi', 2],
      ['x', 100],
    ]);
    expect(await usageError(loadDataset(task('sharegpt', f), comp))).toMatch(
      /c\.jsonl: line 3: expected "conversations"/,
    );
    writeFileSync(f, '[{"conversations":[{"from":"robot","value":"?"}]}]');
    expect(await usageError(loadDataset(task('sharegpt', f), comp))).toMatch(/entry 1: each message needs/);
  });
});

describe('trace', () => {
  it('replays relative timestamps with exact lengths and shared hash-id prefixes', async () => {
    const ds = await loadDataset(task('trace', fx('trace.jsonl')), comp);
    expect(ds.requests).toHaveLength(50);
    expect(ds.timestamps).toHaveLength(50);
    expect(ds.timestamps![0]).toBe(0);
    const lines = (await import('node:fs'))
      .readFileSync(fx('trace.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    lines.forEach((l, i) => {
      const r = ds.requests[i]!;
      expect(ds.timestamps![i]).toBe(l.timestamp - lines[0].timestamp);
      expect(countWords(r.prompt!)).toBe(l.input_length);
      expect(r.inputTokens).toBe(l.input_length);
      expect(r.maxOutLen).toBe(l.output_length);
    });
    // Requests 0 and 2 share hash id 0: their first min(len, 512) words match; 0 and 1 share none.
    const w = ds.requests.map((r) => r.prompt!.split(' '));
    const shared = Math.min(BLOCK_TOKENS, lines[2].input_length);
    expect(w[2]!.slice(0, shared)).toEqual(w[0]!.slice(0, shared));
    expect(w[1]!.slice(0, 50)).not.toEqual(w[0]!.slice(0, 50));
    const again = await loadDataset(task('trace', fx('trace.jsonl')), { ...comp, numPrompts: 5 });
    expect(again.requests).toEqual(ds.requests.slice(0, 5));
  });

  it('rejects decreasing timestamps and missing lengths by line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tr-'));
    const f = join(dir, 't.jsonl');
    writeFileSync(
      f,
      '{"timestamp":5,"input_length":3,"output_length":2}\n{"timestamp":4,"input_length":3,"output_length":2}\n',
    );
    expect(await usageError(loadDataset(task('trace', f), comp))).toMatch(
      /t\.jsonl: line 2: timestamps must not decrease/,
    );
    writeFileSync(f, '{"timestamp":5,"input_length":3}\n');
    expect(await usageError(loadDataset(task('trace', f), comp))).toMatch(/line 1: input_length and output_length/);
  });
});
