/**
 * Validators for model and dataset task files (zod 4 strict objects, so a
 * misspelt field is an error rather than a silently ignored default).
 * Every message is written for a user: `config <file>: field 'x': expected ...`.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import type { DatasetTask, ModelTask } from './types.js';
import { flagForField } from './field-flags.js';

const POS_INT = 'expected a positive integer';
const NONNEG_INT = 'expected an integer ≥ 0';
const NONNEG_NUM = 'expected a number ≥ 0';
const POS_NUM = 'expected a number > 0';

/** Type-level error: 'required' when the field is missing, else `text`. */
const E = (text: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'required' : text) });

const posInt = () => z.number(E(POS_INT)).int({ error: POS_INT }).min(1, { error: POS_INT });
const nonNegInt = () => z.number(E(NONNEG_INT)).int({ error: NONNEG_INT }).min(0, { error: NONNEG_INT });
const nonNegNum = () => z.number(E(NONNEG_NUM)).min(0, { error: NONNEG_NUM });
const posNum = () => z.number(E(POS_NUM)).gt(0, { error: POS_NUM });
/**
 * The longest duration a Node timer holds: setTimeout clamps anything above
 * 2^31-1 ms to 1 ms, so a larger value would fire at once instead of never.
 */
export const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);
const TIMER_S = `expected a number of seconds in 0..${MAX_TIMER_S}`;
const timerSeconds = () => z.number(E(TIMER_S)).min(0, { error: TIMER_S }).max(MAX_TIMER_S, { error: TIMER_S });
const str = () => z.string(E('expected a string'));
const bool = () => z.boolean(E('expected true or false'));

/** Task ids end up in file paths: keep them to safe characters. */
const ABBR = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const abbr = () =>
  str().regex(ABBR, {
    error: 'expected letters, digits, ".", "_" or "-" (it is used in file paths)',
  });

/**
 * Returns what is wrong with a base URL (a phrase starting with "must"), or
 * undefined when it is usable.
 */
export function checkUrl(url: string): string | undefined {
  const example = 'like http://127.0.0.1:8000';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  const name = scheme?.[1];
  if (name === undefined) return `must start with http:// or https:// (${example})`;
  if (!/^https?$/i.test(name)) return `must use http or https, not ${name} (${example})`;
  const port = /^[a-z]+:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^/:]*):([^/?#]*)/i.exec(url)?.[1];
  if (port !== undefined && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    return 'must have a port in 1..65535';
  }
  try {
    const u = new URL(url);
    if (!u.hostname) return `must name a host (${example})`;
  } catch {
    return `must be a valid http(s) URL (${example})`;
  }
  return undefined;
}

const urlField = () =>
  str().superRefine((v, ctx) => {
    if (v === '') return;
    const msg = checkUrl(v);
    if (msg) ctx.addIssue({ code: 'custom', message: `${msg} (got ${JSON.stringify(v)})` });
  });

const trafficCfg = z
  .strictObject(
    {
      burstiness: nonNegNum().optional(),
      ramp_up_strategy: z.enum(['linear', 'exponential'], E("expected 'linear' or 'exponential'")).optional(),
      ramp_up_start_rps: posNum().optional(),
      ramp_up_end_rps: posNum().optional(),
    },
    E('expected a mapping'),
  )
  .superRefine((t, ctx) => {
    const hasRates = t.ramp_up_start_rps !== undefined || t.ramp_up_end_rps !== undefined;
    if (t.ramp_up_strategy !== undefined) {
      for (const k of ['ramp_up_start_rps', 'ramp_up_end_rps'] as const) {
        if (t[k] === undefined) {
          ctx.addIssue({ code: 'custom', path: [k], message: 'required when ramp_up_strategy is set' });
        }
      }
    } else if (hasRates) {
      ctx.addIssue({ code: 'custom', path: ['ramp_up_strategy'], message: 'required when ramp_up_*_rps is set' });
    }
  });

const simProfile = z.strictObject(
  {
    ttft_ms: nonNegNum(),
    itl_ms: nonNegNum(),
    jitter_ms: nonNegNum().default(0),
    tokens_per_chunk: posInt().default(1),
    prefill_tokens_per_ms: nonNegNum().default(0),
    // Accuracy demo: answer questions of this dataset file, right with probability `accuracy`.
    answer_key: str().optional(),
    accuracy: nonNegNum().max(1, { error: 'expected a probability in [0, 1]' }).optional(),
    // The load-aware engine (sim --engine batch); absent = the fixed schedule above.
    engine: z.enum(['fixed', 'batch'], E("expected 'fixed' or 'batch'")).optional(),
    step_base_ms: nonNegNum().optional(),
    step_per_seq_ms: nonNegNum().optional(),
    max_num_seqs: posInt().optional(),
    max_batched_tokens: posInt().optional(),
    kv_blocks: posInt().optional(),
    block_size: posInt().optional(),
    spec_tokens: z
      .number(E('expected an integer 0..16'))
      .int(E('expected an integer 0..16'))
      .min(0, E('expected an integer 0..16'))
      .max(16, E('expected an integer 0..16'))
      .optional(),
    spec_accept: z
      .number(E('expected a probability 0..1'))
      .min(0, E('expected a probability 0..1'))
      .max(1, E('expected a probability 0..1'))
      .optional(),
  },
  E('expected a mapping'),
);

/** Model task file. Defaults follow AISBench's vllm_api configs. */
export const modelTaskSchema = z.strictObject(
  {
    abbr: abbr().optional(),
    api: z
      .enum(
        ['chat', 'completions', 'chat_multiturn', 'tgi', 'triton', 'mindie', 'vllm_old'],
        E("expected 'chat', 'completions', 'chat_multiturn', 'tgi', 'triton', 'mindie' or 'vllm_old'"),
      )
      .default('chat'),
    model: str().default(''),
    host_ip: str().min(1, { error: 'expected a host name or IP' }).default('127.0.0.1'),
    host_port: z
      .number(E('expected a port 1..65535'))
      .int(E('expected a port 1..65535'))
      .min(1, E('expected a port 1..65535'))
      .max(65535, E('expected a port 1..65535'))
      .default(8080),
    url: urlField().default(''),
    api_key: str().default(''),
    headers: z.record(z.string(), str(), E('expected a mapping of header names to strings')).default({}),
    stream: bool().default(true),
    request_rate: nonNegNum().default(0),
    traffic_cfg: trafficCfg.default({}),
    use_timestamp: bool().default(false),
    retry: nonNegInt().default(2),
    max_out_len: posInt().default(512),
    batch_size: posInt().default(1),
    path: str().default(''),
    generation_kwargs: z.record(z.string(), z.unknown(), E('expected a mapping')).default({}),
    // Defaults that cannot hang an unattended run (issue 17): no first token in
    // 10 min, or 5 min without a read once the answer streams, ends the request.
    timeout: timerSeconds().default(0),
    first_byte_timeout: timerSeconds().default(600),
    idle_timeout: timerSeconds().default(300),
    sim: simProfile.optional(),
  },
  E('expected a mapping of model task fields'),
);

const lengthInt = () => posInt();
const minMax = <T extends { MinValue: number; MaxValue: number }>(p: T, ctx: z.RefinementCtx) => {
  if (p.MinValue > p.MaxValue) {
    ctx.addIssue({ code: 'custom', path: ['MaxValue'], message: `must be ≥ MinValue (${p.MinValue})` });
  }
};

const lengthDist = z.discriminatedUnion(
  'Method',
  [
    z.strictObject({
      Method: z.literal('uniform'),
      Params: z.strictObject({ MinValue: lengthInt(), MaxValue: lengthInt() }).superRefine(minMax),
    }),
    z.strictObject({
      Method: z.literal('gaussian'),
      Params: z
        .strictObject({
          Mean: z.number(E('expected a number')),
          Var: nonNegNum(),
          MinValue: lengthInt(),
          MaxValue: lengthInt(),
        })
        .superRefine(minMax),
    }),
    z.strictObject({
      Method: z.literal('zipf'),
      Params: z
        .strictObject({
          Alpha: z.number(E('expected a number > 1')).gt(1, E('expected a number > 1')),
          MinValue: lengthInt(),
          MaxValue: lengthInt(),
        })
        .superRefine(minMax),
    }),
  ],
  E("expected a mapping with Method 'uniform', 'gaussian' or 'zipf'"),
);

const syntheticConfig = z
  .strictObject(
    {
      Type: z.enum(['string', 'tokenid'], E("expected 'string' or 'tokenid'")),
      RequestCount: posInt(),
      StringConfig: z.strictObject({ Input: lengthDist, Output: lengthDist }).optional(),
      TokenIdConfig: z
        .strictObject({
          RequestSize: posInt(),
          PrefixLen: nonNegInt(),
          Output: lengthDist.optional(),
        })
        .optional(),
    },
    E('expected a mapping'),
  )
  .superRefine((s, ctx) => {
    if (s.Type === 'string' && !s.StringConfig) {
      ctx.addIssue({ code: 'custom', path: ['StringConfig'], message: "required when Type is 'string'" });
    }
    if (s.Type === 'tokenid' && !s.TokenIdConfig) {
      ctx.addIssue({ code: 'custom', path: ['TokenIdConfig'], message: "required when Type is 'tokenid'" });
    }
  });

/** Dataset task file. */
export const datasetTaskSchema = z
  .strictObject(
    {
      abbr: abbr().optional(),
      type: z.enum(
        ['synthetic', 'custom', 'gsm8k', 'sharegpt', 'trace', 'mmlu', 'ceval', 'custom_qa'],
        E("expected 'synthetic', 'custom', 'gsm8k', 'sharegpt', 'trace', 'mmlu', 'ceval' or 'custom_qa'"),
      ),
      path: str().default(''),
      // Accuracy modes: custom_qa's answer pattern (first group = the answer), samples per question.
      answer_regex: str()
        .superRefine((v, ctx) => {
          try {
            new RegExp(v);
          } catch (e) {
            ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(e as Error).message})` });
          }
        })
        .optional(),
      num_return: posInt().optional(),
      synthetic: syntheticConfig.optional(),
      seed: nonNegInt().optional(),
    },
    E('expected a mapping of dataset task fields'),
  )
  .superRefine((d, ctx) => {
    if (d.type === 'synthetic' && !d.synthetic) {
      ctx.addIssue({ code: 'custom', path: ['synthetic'], message: "required when type is 'synthetic'" });
    }
  });

/**
 * One line for the first problem zod found, naming the file and the field,
 * and the flag that sets the field from the command line when there is one.
 */
export function formatIssue(file: string, issue: z.core.$ZodIssue, kind?: 'model' | 'dataset'): string {
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k));
    return `config ${file}: unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}`;
  }
  let msg = issue.message;
  // zod's own message for a missing required field reads "expected X, received undefined".
  if (issue.code === 'invalid_type' && /received undefined/.test(msg)) msg = 'required';
  const flag = kind && where ? flagForField(kind, where) : undefined;
  const hint = flag ? ` (or set it with ${flag} on the command line)` : '';
  return where ? `config ${file}: field '${where}': ${msg}${hint}` : `config ${file}: ${msg}`;
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, file: string, kind: 'model' | 'dataset'): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new UsageError(formatIssue(file, r.error.issues[0]!, kind), 'E_CONFIG');
  return r.data;
}

/**
 * Validate a model task read from `file`; `name` (the file's base name) is the
 * default `abbr`.
 */
export function validateModelTask(raw: unknown, file: string, name: string): ModelTask {
  const t = parseWith(modelTaskSchema, raw, file, 'model');
  return { ...t, abbr: t.abbr ?? defaultAbbr(name, file) } as ModelTask;
}

/**
 * The file's base name as the task id when the file sets no `abbr`: checked
 * like an abbr, since a file named `...yaml` (base name `..`) would otherwise
 * put `performances/..` in the run folder's paths.
 */
function defaultAbbr(name: string, file: string): string {
  if (ABBR.test(name)) return name;
  throw new UsageError(
    `config ${file}: the file name ${JSON.stringify(name)} cannot be a task id (it is used in file paths): set 'abbr' to letters, digits, ".", "_" or "-"`,
    'E_CONFIG',
  );
}

/** Validate a dataset task read from `file`; `name` is the default `abbr`. */
export function validateDatasetTask(raw: unknown, file: string, name: string): DatasetTask {
  const t = parseWith(datasetTaskSchema, raw, file, 'dataset');
  return { ...t, abbr: t.abbr ?? defaultAbbr(name, file) } as DatasetTask;
}
