/**
 * Which command-line flag sets a config field (#18): every error about a
 * field names the flag too, so a newcomer can fix a run without editing the
 * task file. The pairs follow what overrides.ts applies; a field that is not
 * listed has no flag (--temperature and --ignore-eos set keys inside
 * generation_kwargs, a free mapping that no error can be about).
 */

/** Model task fields (models/*.yaml) and the flag that overrides them for every model task. */
export const MODEL_FIELD_FLAGS: Readonly<Record<string, string>> = {
  model: '--model',
  url: '--url',
  // The URL replaces host_ip/host_port (prepare.ts baseUrl).
  host_ip: '--url',
  host_port: '--url',
  api_key: '--api-key',
  headers: '--header',
  batch_size: '--max-concurrency',
  request_rate: '--request-rate',
  'traffic_cfg.burstiness': '--burstiness',
  'traffic_cfg.ramp_up_strategy': '--ramp-up',
  'traffic_cfg.ramp_up_start_rps': '--ramp-up',
  'traffic_cfg.ramp_up_end_rps': '--ramp-up',
  retry: '--retry',
  max_out_len: '--max-out-len',
  path: '--tokenizer',
  timeout: '--timeout',
  first_byte_timeout: '--first-byte-timeout',
  idle_timeout: '--idle-timeout',
};

/** Dataset task fields (datasets/*.yaml); the synthetic ones only for synthetic datasets. */
export const DATASET_FIELD_FLAGS: Readonly<Record<string, string>> = {
  path: '--dataset-path',
  seed: '--seed',
  'synthetic.RequestCount': '--num-prompts',
  'synthetic.StringConfig.Input': '--input-len',
  'synthetic.StringConfig.Output': '--output-len',
  'synthetic.TokenIdConfig.RequestSize': '--input-len',
  'synthetic.TokenIdConfig.PrefixLen': '--prefix-len',
  'synthetic.TokenIdConfig.Output': '--output-len',
};

/**
 * The flag for a field path ('traffic_cfg.ramp_up_end_rps',
 * 'synthetic.StringConfig.Input.Params.MinValue'): the longest listed prefix
 * of the path, or undefined.
 */
export function flagForField(kind: 'model' | 'dataset', fieldPath: string): string | undefined {
  const table = kind === 'model' ? MODEL_FIELD_FLAGS : DATASET_FIELD_FLAGS;
  const parts = fieldPath.split('.');
  for (let n = parts.length; n > 0; n--) {
    const flag = table[parts.slice(0, n).join('.')];
    if (flag !== undefined) return flag;
  }
  return undefined;
}
