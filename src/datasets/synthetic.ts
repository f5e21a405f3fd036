/**
 * synthetic_gen: random prompts of drawn lengths, as AISBench's synthetic
 * dataset. `Type: string` draws input and output lengths from uniform,
 * gaussian (clamped) or zipf distributions; `Type: tokenid` makes
 * RequestSize-token prompts whose first PrefixLen tokens are shared by all.
 * Lengths are in tokens: exact with a tokenizer, words without (see words.ts).
 */
import { UsageError } from '../core/errors.js';
import type { LengthDist, SyntheticConfig } from '../config/types.js';
import type { RequestSpec } from '../engine/types.js';
import { exactPrompt } from './exact-prompt.js';
import { makeSpec } from './read.js';
import { mulberry32, normal, uniformInt, zipfSampler, type Rng } from '../core/random.js';
import type { LoadOptions } from './types.js';
import { randomWords } from './words.js';

/** Longest input or output length accepted (tokens): keeps zipf tables and prompts bounded. */
export const MAX_SYNTHETIC_LEN = 1 << 20;

/** Throws a one-line UsageError naming the field when the config is out of range. */
export function validateSynthetic(c: SyntheticConfig, where = 'synthetic_gen'): void {
  const fail = (field: string, msg: string): never => {
    throw new UsageError(`${where}: ${field} ${msg}`, 'E_CONFIG');
  };
  const whole = (v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(field, `must be a whole number in [${min}, ${max}], got ${JSON.stringify(v)}`);
    }
    return v as number;
  };
  whole(c.RequestCount, 'RequestCount', 1);
  const dist = (d: LengthDist | undefined, field: string): void => {
    if (!d) return fail(field, 'is missing');
    const p = d.Params as Record<string, unknown>;
    if (!p || typeof p !== 'object') return fail(`${field}.Params`, 'is missing');
    const min = whole(p.MinValue, `${field}.Params.MinValue`, 1, MAX_SYNTHETIC_LEN);
    const max = whole(p.MaxValue, `${field}.Params.MaxValue`, 1, MAX_SYNTHETIC_LEN);
    if (max < min) fail(`${field}.Params.MaxValue`, `(${max}) must be ≥ MinValue (${min})`);
    if (d.Method === 'gaussian') {
      if (typeof p.Mean !== 'number' || !Number.isFinite(p.Mean)) fail(`${field}.Params.Mean`, 'must be a number');
      if (typeof p.Var !== 'number' || !(p.Var >= 0)) fail(`${field}.Params.Var`, 'must be a number ≥ 0');
    } else if (d.Method === 'zipf') {
      // As numpy's zipf sampler (which AISBench builds on), the exponent must exceed 1.
      if (typeof p.Alpha !== 'number' || !(p.Alpha > 1))
        fail(`${field}.Params.Alpha`, `must be a number > 1, got ${JSON.stringify(p.Alpha)}`);
    } else if (d.Method !== 'uniform') {
      fail(
        `${field}.Method`,
        `must be uniform, gaussian or zipf, got ${JSON.stringify((d as { Method: unknown }).Method)}`,
      );
    }
  };
  if (c.Type === 'string') {
    const sc = c.StringConfig;
    if (!sc) return fail('StringConfig', 'is required when Type is string');
    dist(sc.Input, 'StringConfig.Input');
    dist(sc.Output, 'StringConfig.Output');
  } else if (c.Type === 'tokenid') {
    const t = c.TokenIdConfig;
    if (!t) return fail('TokenIdConfig', 'is required when Type is tokenid');
    const size = whole(t.RequestSize, 'TokenIdConfig.RequestSize', 1, MAX_SYNTHETIC_LEN);
    whole(t.PrefixLen, 'TokenIdConfig.PrefixLen', 0, size);
    if (t.Output) dist(t.Output, 'TokenIdConfig.Output');
  } else {
    fail('Type', `must be string or tokenid, got ${JSON.stringify((c as { Type: unknown }).Type)}`);
  }
}

/** A sampler of whole lengths in [MinValue, MaxValue] for one distribution. */
export function lengthSampler(d: LengthDist): (rng: Rng) => number {
  const { MinValue: min, MaxValue: max } = d.Params;
  switch (d.Method) {
    case 'uniform':
      return (rng) => uniformInt(rng, min, max);
    case 'gaussian': {
      const sd = Math.sqrt(d.Params.Var);
      const mean = d.Params.Mean;
      return (rng) => Math.min(max, Math.max(min, Math.round(mean + sd * normal(rng))));
    }
    case 'zipf':
      return zipfSampler(d.Params.Alpha, min, max);
  }
}

/** The first `count` requests of a synthetic config (count ≤ RequestCount). */
export function buildSynthetic(c: SyntheticConfig, count: number, seed: number, opts: LoadOptions): RequestSpec[] {
  validateSynthetic(c);
  const n = Math.min(count, c.RequestCount);
  // Separate streams: lengths do not shift when prompt building consumes more draws (e.g. fix-ups).
  const lenRng = mulberry32(seed);
  const textRng = mulberry32(seed ^ 0x9e3779b9);
  const tk = opts.tokenizer;
  const prompt = (tokens: number, head = ''): { text: string; tokens: number } => {
    if (tk) return exactPrompt(tk, tokens, textRng, head);
    const rest = randomWords(tokens - (head ? head.split(' ').length : 0), textRng);
    return { text: head && rest ? `${head} ${rest}` : head || rest, tokens };
  };
  const out: RequestSpec[] = [];
  if (c.Type === 'string') {
    const inLen = lengthSampler(c.StringConfig!.Input);
    const outLen = lengthSampler(c.StringConfig!.Output);
    for (let i = 0; i < n; i++) {
      const input = inLen(lenRng);
      const p = prompt(input);
      out.push(makeSpec(i, p.text, outLen(lenRng), opts, p.tokens));
    }
  } else {
    const t = c.TokenIdConfig!;
    const outLen = t.Output ? lengthSampler(t.Output) : () => opts.maxOutLen;
    const prefix = t.PrefixLen > 0 ? prompt(t.PrefixLen).text : '';
    for (let i = 0; i < n; i++) {
      const p = prompt(t.RequestSize, prefix);
      out.push(makeSpec(i, p.text, outLen(lenRng), opts, p.tokens));
    }
  }
  return out;
}
