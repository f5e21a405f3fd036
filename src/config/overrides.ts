/**
 * Command-line quick overrides (applied to every model task), dataset paths,
 * and the generated --demo-tasks variants.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { PerfOptions } from './options.js';
import type { DatasetTask, ModelTask } from './types.js';

/** A copy of `task` with every given quick override applied. */
export function applyModelOverrides(task: ModelTask, o: PerfOptions): ModelTask {
  const t: ModelTask = {
    ...task,
    headers: { ...task.headers },
    traffic_cfg: { ...task.traffic_cfg },
    generation_kwargs: { ...task.generation_kwargs },
  };
  if (o.url !== undefined) t.url = o.url;
  if (o.apiKey !== undefined) t.api_key = o.apiKey;
  if (o.maxConcurrency !== undefined) t.batch_size = o.maxConcurrency;
  if (o.requestRate !== undefined) t.request_rate = o.requestRate;
  if (o.burstiness !== undefined) t.traffic_cfg.burstiness = o.burstiness;
  if (o.rampUp !== undefined) {
    t.traffic_cfg.ramp_up_strategy = o.rampUp.strategy;
    t.traffic_cfg.ramp_up_start_rps = o.rampUp.startRps;
    t.traffic_cfg.ramp_up_end_rps = o.rampUp.endRps;
  }
  if (o.maxOutLen !== undefined) t.max_out_len = o.maxOutLen;
  if (o.retry !== undefined) t.retry = o.retry;
  if (o.timeout !== undefined) t.timeout = o.timeout;
  if (o.firstByteTimeout !== undefined) t.first_byte_timeout = o.firstByteTimeout;
  if (o.idleTimeout !== undefined) t.idle_timeout = o.idleTimeout;
  if (o.tokenizer !== undefined) t.path = o.tokenizer;
  // #18 newcomer flags.
  if (o.model !== undefined) t.model = o.model;
  if (o.headers !== undefined) Object.assign(t.headers, o.headers);
  if (o.temperature !== undefined) t.generation_kwargs.temperature = o.temperature;
  if (o.ignoreEos === true) t.generation_kwargs.ignore_eos = true;
  if (o.ignoreEos === false) delete t.generation_kwargs.ignore_eos;
  return t;
}

/** Synthetic requests generated without --num-prompts at most (each is held in memory before the run). */
export const MAX_SYNTHETIC_REQUESTS = 200_000;

/**
 * --input-len / --output-len / --prefix-len / --num-prompts on a synthetic
 * dataset: uniform lengths (fixed when MIN = MAX), a shared prefix (tokenid
 * prompts), and RequestCount as large as --num-prompts asks.
 */
function applySyntheticOverrides(t: DatasetTask, name: string, o: PerfOptions): DatasetTask {
  if (t.type !== 'synthetic' || !t.synthetic) {
    const flag = o.inputLen ? '--input-len' : o.outputLen ? '--output-len' : o.prefixLen ? '--prefix-len' : '';
    if (flag)
      throw new UsageError(
        `${flag} applies to synthetic datasets (e.g. synthetic_gen), not '${name}'; per-request output limits: --max-out-len`,
      );
    return t;
  }
  const c = structuredClone(t.synthetic);
  const uniform = (r: { min: number; max: number }) => ({
    Method: 'uniform' as const,
    Params: { MinValue: r.min, MaxValue: r.max },
  });
  if (o.numPrompts !== undefined) c.RequestCount = o.numPrompts;
  if (o.prefixLen !== undefined) {
    // newcomer.ts checked that --input-len is fixed and at least the prefix.
    const output = o.outputLen
      ? uniform(o.outputLen)
      : c.Type === 'string'
        ? c.StringConfig?.Output
        : c.TokenIdConfig?.Output;
    c.Type = 'tokenid';
    c.TokenIdConfig = { RequestSize: o.inputLen!.min, PrefixLen: o.prefixLen, ...(output ? { Output: output } : {}) };
    delete c.StringConfig;
  } else if (o.inputLen || o.outputLen) {
    if (c.Type === 'tokenid') {
      if (o.inputLen) {
        if (o.inputLen.min !== o.inputLen.max)
          throw new UsageError(
            `dataset '${name}' has shared-prefix (tokenid) prompts of one size: give a fixed --input-len N`,
          );
        c.TokenIdConfig = {
          ...c.TokenIdConfig!,
          RequestSize: o.inputLen.min,
          PrefixLen: Math.min(c.TokenIdConfig!.PrefixLen, o.inputLen.min),
        };
      }
      if (o.outputLen) c.TokenIdConfig = { ...c.TokenIdConfig!, Output: uniform(o.outputLen) };
    } else {
      const sc = c.StringConfig!;
      c.StringConfig = {
        Input: o.inputLen ? uniform(o.inputLen) : sc.Input,
        Output: o.outputLen ? uniform(o.outputLen) : sc.Output,
      };
    }
  }
  return { ...t, synthetic: c };
}

/**
 * A copy of `task` with --dataset-path and --seed applied. File-based
 * datasets need a path from the config or the command line.
 * @param name the task name as given on the command line (for messages)
 */
export function applyDatasetOverrides(task: DatasetTask, name: string, o: PerfOptions): DatasetTask {
  let t: DatasetTask = { ...task };
  if (o.seed !== undefined) t.seed = o.seed;
  const count = t.synthetic?.RequestCount ?? 0;
  if (count > MAX_SYNTHETIC_REQUESTS && o.numPrompts === undefined) {
    // Generating them all would take minutes and gigabytes before the first request, silently.
    throw new UsageError(
      `dataset '${name}': RequestCount ${count} is above ${MAX_SYNTHETIC_REQUESTS}: pass --num-prompts N to generate only the first N`,
      'E_DATASET',
    );
  }
  t = applySyntheticOverrides(t, name, o);
  if (t.type === 'synthetic') return t;
  if (o.datasetPath !== undefined) t.path = o.datasetPath;
  if (!t.path) throw new UsageError(`dataset '${name}' needs --dataset-path`);
  const abs = path.resolve(t.path);
  if (!existsSync(abs)) throw new UsageError(`dataset '${name}': no such file ${t.path}`, 'E_DATASET');
  // A multiple-choice dataset may be a folder of subject files, merged.
  if (statSync(abs).isDirectory() && t.type !== 'mmlu' && t.type !== 'ceval')
    throw new UsageError(`dataset '${name}': ${t.path} is a directory, not a file`, 'E_DATASET');
  return t;
}

/** a, b, ..., z, aa, ab, ... */
function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * `n` copies of the demo model task named sim-a, sim-b, ..., each with its
 * own latency profile and concurrency, so the board has varied rows. They
 * derive from `base` (the sim_stream_chat task), so a --config-dir override
 * of it (headers, api_key, ...) carries over.
 */
export function demoModelTasks(base: ModelTask, n: number): ModelTask[] {
  const sim = base.sim ?? { ttft_ms: 50, itl_ms: 5, jitter_ms: 1, tokens_per_chunk: 1, prefill_tokens_per_ms: 0 };
  const batches = [8, 16, 32, 16, 24];
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    abbr: `sim-${letters(i)}`,
    batch_size: batches[i % batches.length]!,
    sim: {
      ...sim,
      // Deterministic spread: TTFT 20..95 ms, ITL 2..8 ms, 1-3 tokens per chunk.
      ttft_ms: 20 + ((i * 37) % 80),
      itl_ms: 2 + ((i * 5) % 7),
      jitter_ms: 1 + (i % 3),
      tokens_per_chunk: 1 + (i % 3 === 2 ? 1 : 0) + (i % 7 === 6 ? 1 : 0),
      // The batch engine (the demo's): steps of 3..9 ms + 0.1..0.2 ms per sequence,
      // and speculative decoding (2 drafts) on every third task.
      step_base_ms: 3 + ((i * 5) % 7),
      step_per_seq_ms: 0.1 + 0.05 * (i % 3),
      spec_tokens: i % 3 === 2 ? 2 : 0,
    },
  }));
}
