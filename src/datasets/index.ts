/**
 * Dataset tasks → the requests a task sends. One entry point, loadDataset;
 * each type lives in its own module. Every problem with the user's file or
 * config is a one-line UsageError naming the file (and line) or field.
 */
import { UsageError } from '../core/errors.js';
import type { DatasetTask } from '../config/types.js';
import { loadCustom } from './custom.js';
import { loadGsm8k } from './gsm8k.js';
import { promptLimit } from './read.js';
import { loadShareGpt } from './sharegpt.js';
import { buildSynthetic } from './synthetic.js';
import { loadTrace } from './trace.js';
import { accuracyKind } from './accuracy/kind.js';
import { loadSamples } from './accuracy/samples.js';
import { sampleSpec } from './accuracy/prompts.js';
import type { Dataset, LoadOptions } from './types.js';

export type { Dataset, LoadOptions, Tokenizer } from './types.js';
export { loadTokenizer } from '../engine/tokenizer.js';
export { validateSynthetic } from './synthetic.js';
export { gsm8kMessages, gsm8kText } from './gsm8k.js';

/** Default PRNG seed when neither the options nor the task give one. */
export const DEFAULT_SEED = 0;

/**
 * The requests of a dataset task. With `outCap` (--max-out-len), every
 * request's output limit is capped by it, whatever the dataset says (a
 * synthetic Output range, a custom file's max_out_len, a trace's lengths).
 */
export async function loadDataset(task: DatasetTask, opts: LoadOptions): Promise<Dataset> {
  const ds = await loadUncapped(task, opts);
  const cap = opts.outCap;
  if (cap !== undefined) {
    for (const r of ds.requests) r.maxOutLen = Math.min(r.maxOutLen, cap);
    for (const c of ds.conversations ?? []) for (const r of c) r.maxOutLen = Math.min(r.maxOutLen, cap);
  }
  return ds;
}

async function loadUncapped(task: DatasetTask, opts: LoadOptions): Promise<Dataset> {
  if (!Number.isInteger(opts.maxOutLen) || opts.maxOutLen <= 0) {
    throw new UsageError(`max_out_len must be a whole number > 0, got ${opts.maxOutLen}`);
  }
  const limit = promptLimit(opts);
  const seed = opts.seed ?? task.seed ?? DEFAULT_SEED;
  let ds: Dataset;
  switch (task.type) {
    case 'synthetic': {
      if (!task.synthetic) throw new UsageError(`dataset ${task.abbr}: synthetic config is missing`, 'E_CONFIG');
      ds = { requests: buildSynthetic(task.synthetic, limit, seed, opts) };
      break;
    }
    case 'custom':
      ds = { requests: await loadCustom(task.path, opts) };
      break;
    case 'gsm8k':
      ds = { requests: await loadGsm8k(task.path, opts) };
      break;
    case 'sharegpt': {
      const conversations = await loadShareGpt(task.path, opts);
      return { requests: conversations.map((c) => c[0]!), conversations };
    }
    case 'trace':
      ds = await loadTrace(task.path, seed, opts);
      break;
    case 'mmlu':
    case 'ceval':
    case 'custom_qa': {
      // The accuracy datasets are also workloads: their prompts, as the accuracy modes send them.
      const kind = accuracyKind(task);
      const samples = loadSamples(kind, task.path, limit);
      ds = { requests: samples.map((s, i) => sampleSpec(i, kind, s, opts.api === 'completions', opts)) };
      break;
    }
    default:
      throw new UsageError(
        `dataset ${task.abbr}: unknown type ${JSON.stringify((task as { type: unknown }).type)}`,
        'E_CONFIG',
      );
  }
  // A multi-turn API can send any dataset: each request is a one-turn conversation.
  if (opts.api === 'chat_multiturn') ds.conversations = ds.requests.map((r) => [r]);
  return ds;
}
