/**
 * Every config-field error names the flag that sets the field (#18): for each
 * field → flag pair, a task file with a bad value for that field fails with a
 * message naming the file, the field and the flag; and the flag really sets
 * that field (parsed by the CLI, applied by the overrides).
 */
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import type { PerfOptions } from '../src/config/options.js';
import { DATASET_FIELD_FLAGS, MODEL_FIELD_FLAGS, flagForField } from '../src/config/field-flags.js';
import { applyDatasetOverrides, applyModelOverrides } from '../src/config/overrides.js';
import { validateDatasetTask, validateModelTask } from '../src/config/schema.js';

/** A raw task with `value` at the dotted `field` path. */
function withField(base: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(base);
  const parts = field.split('.');
  let o = out;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts[parts.length - 1]!] = value;
  return out;
}

/** A value each model field rejects. */
const BAD_MODEL: Record<string, unknown> = {
  model: 5,
  url: 'localhost:8000',
  host_ip: '',
  host_port: 70000,
  api_key: 5,
  headers: 'X-A: b',
  batch_size: 0,
  request_rate: -1,
  'traffic_cfg.burstiness': -1,
  'traffic_cfg.ramp_up_strategy': 'zigzag',
  'traffic_cfg.ramp_up_start_rps': -1,
  'traffic_cfg.ramp_up_end_rps': -1,
  retry: -1,
  max_out_len: 0,
  path: 5,
  timeout: -1,
  first_byte_timeout: -1,
  idle_timeout: -1,
};

const SYNTH = {
  type: 'synthetic',
  synthetic: {
    Type: 'string',
    RequestCount: 5,
    StringConfig: {
      Input: { Method: 'uniform', Params: { MinValue: 1, MaxValue: 9 } },
      Output: { Method: 'uniform', Params: { MinValue: 1, MaxValue: 9 } },
    },
  },
};
const TOKENID = {
  type: 'synthetic',
  synthetic: { Type: 'tokenid', RequestCount: 5, TokenIdConfig: { RequestSize: 16, PrefixLen: 2 } },
};

/** A raw dataset task and a value its field rejects. */
const BAD_DATASET: Record<string, { base: Record<string, unknown>; value: unknown }> = {
  path: { base: { type: 'custom' }, value: 5 },
  seed: { base: SYNTH, value: -1 },
  'synthetic.RequestCount': { base: SYNTH, value: 0 },
  'synthetic.StringConfig.Input': { base: SYNTH, value: { Method: 'uniform', Params: { MinValue: 0, MaxValue: 9 } } },
  'synthetic.StringConfig.Output': { base: SYNTH, value: { Method: 'uniform', Params: { MinValue: 9, MaxValue: 1 } } },
  'synthetic.TokenIdConfig.RequestSize': { base: TOKENID, value: 0 },
  'synthetic.TokenIdConfig.PrefixLen': { base: TOKENID, value: -1 },
  'synthetic.TokenIdConfig.Output': { base: TOKENID, value: { Method: 'nope' } },
};

/** Command-line values for each flag, and how to read the field it set. */
const FLAG_VALUES: Record<string, string> = {
  '--model': 'm2',
  '--url': 'http://127.0.0.1:9',
  '--api-key': 'k-123',
  '--header': 'X-A:b',
  '--max-concurrency': '3',
  '--request-rate': '2',
  '--burstiness': '2',
  '--ramp-up': 'linear:1:5',
  '--retry': '4',
  '--max-out-len': '7',
  '--tokenizer': '/tmp/tok',
  '--timeout': '9',
  '--first-byte-timeout': '9',
  '--idle-timeout': '9',
  // An existing file: the override checks it exists.
  '--dataset-path': import.meta.filename,
  '--seed': '3',
  '--num-prompts': '7',
  '--input-len': '8',
  '--output-len': '6',
  '--prefix-len': '4',
};

function get(o: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], o);
}

function opts(flag: string): PerfOptions {
  // --prefix-len needs a fixed --input-len (newcomer.ts).
  const extra = flag === '--prefix-len' ? ['--input-len', '8'] : [];
  const cmd = parseCli(['--models', 'm', '--datasets', 'd', ...extra, flag, FLAG_VALUES[flag]!]);
  if (cmd.kind !== 'perf') throw new Error(`${flag}: parsed as ${cmd.kind}`);
  return cmd.opts;
}

describe('config-field errors name the flag', () => {
  it('every pair has a bad value here (the tables and this test move together)', () => {
    expect(Object.keys(BAD_MODEL).sort()).toEqual(Object.keys(MODEL_FIELD_FLAGS).sort());
    expect(Object.keys(BAD_DATASET).sort()).toEqual(Object.keys(DATASET_FIELD_FLAGS).sort());
  });

  it.each(Object.entries(MODEL_FIELD_FLAGS))('model field %s → %s', (field, flag) => {
    const file = '/cfg/models/bad.yaml';
    const raw = withField(
      field.startsWith('traffic_cfg.ramp')
        ? { traffic_cfg: { ramp_up_strategy: 'linear', ramp_up_start_rps: 1, ramp_up_end_rps: 5 } }
        : {},
      field,
      BAD_MODEL[field],
    );
    expect(() => validateModelTask(raw, file, 'bad')).toThrow(`config ${file}: field '${field}`);
    expect(() => validateModelTask(raw, file, 'bad')).toThrow(`(or set it with ${flag} on the command line)`);
    // The flag sets that field (the URL replaces host_ip/host_port).
    const base = validateModelTask({}, file, 'bad');
    const set = applyModelOverrides(base, opts(flag));
    const target = field.startsWith('host_') ? 'url' : field;
    expect(get(set, target), `${flag} sets ${target}`).not.toEqual(get(base, target));
  });

  it.each(Object.entries(DATASET_FIELD_FLAGS))('dataset field %s → %s', (field, flag) => {
    const file = '/cfg/datasets/bad.yaml';
    const { base, value } = BAD_DATASET[field]!;
    const raw = withField(base, field, value);
    let msg = '';
    try {
      validateDatasetTask(raw, file, 'bad');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain(`config ${file}: field '${field}`);
    expect(msg).toContain(`(or set it with ${flag} on the command line)`);
    const good = validateDatasetTask(base, file, 'bad');
    const set = applyDatasetOverrides(good, 'bad', opts(flag));
    expect(get(set, field), `${flag} sets ${field}`).not.toEqual(get(good, field));
  });

  it('fields without a flag get no hint; the longest listed prefix wins', () => {
    expect(flagForField('model', 'stream')).toBeUndefined();
    expect(flagForField('model', 'traffic_cfg.ramp_up_end_rps')).toBe('--ramp-up');
    expect(flagForField('dataset', 'synthetic.StringConfig.Input.Params.MinValue')).toBe('--input-len');
    expect(() => validateModelTask({ stream: 5 }, '/f.yaml', 'bad')).toThrow(/field 'stream': [^(]*$/);
  });
});
