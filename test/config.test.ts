import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCli, type PerfOptions } from '../src/cli/args.js';
import { UsageError } from '../src/core/errors.js';
import { searchTable, searchText } from '../src/cli/search.js';
import { builtinConfigDir, loadRegistry, resolveTasks } from '../src/config/registry.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function opts(argv: string[]): PerfOptions {
  const c = parseCli(argv);
  if (c.kind !== 'perf') throw new Error(c.kind);
  return c.opts;
}

/** A config dir with the given files (path relative to the dir → content). */
function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmp, 'cfg-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function resolveError(argv: string[]): Promise<string> {
  try {
    await resolveTasks(opts(argv));
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('built-in tasks', () => {
  test('all built-in files validate', async () => {
    const reg = loadRegistry();
    expect([...reg.models.keys()].sort()).toEqual([
      'mindie_stream_api_general',
      'sim_stream_chat',
      'tgi_stream_api_general',
      'triton_stream_api_general',
      'vllm_api_general',
      'vllm_api_general_chat',
      'vllm_api_general_stream',
      'vllm_api_old',
      'vllm_api_stream_chat',
      'vllm_api_stream_chat_multiturn',
    ]);
    expect([...reg.datasets.keys()].sort()).toEqual([
      'ceval_gen',
      'custom',
      'custom_qa',
      'demo_gsm8k',
      'gsm8k_gen',
      'mmlu_gen',
      'mooncake_trace',
      'sharegpt_multiturn',
      'synthetic_gen',
      'synthetic_gen_demo',
    ]);
    const tasks = await resolveTasks(
      opts(['--models', ...reg.models.keys(), '--datasets', 'synthetic_gen', 'synthetic_gen_demo']),
    );
    expect(tasks).toHaveLength(10 * 2); // 10 model tasks x 2 datasets
  });

  test('vllm_api_stream_chat × synthetic_gen', async () => {
    const [t] = await resolveTasks(opts(['--models', 'vllm_api_stream_chat', '--datasets', 'synthetic_gen']));
    expect(t!.key).toBe('vllm-api-stream-chat/synthetic');
    expect(t!.model).toMatchObject({
      api: 'chat',
      host_ip: '127.0.0.1',
      host_port: 8080,
      url: '',
      stream: true,
      retry: 2,
      batch_size: 1,
      traffic_cfg: {},
      use_timestamp: false,
      timeout: 0,
      first_byte_timeout: 600,
      idle_timeout: 300,
    });
    expect(t!.dataset.synthetic).toEqual({
      Type: 'string',
      RequestCount: 1000,
      StringConfig: {
        Input: { Method: 'uniform', Params: { MinValue: 50, MaxValue: 500 } },
        Output: { Method: 'uniform', Params: { MinValue: 20, MaxValue: 200 } },
      },
    });
  });

  test('the demo is small: 200 requests at concurrency 16 against the simulator', async () => {
    const [t, ...rest] = await resolveTasks(opts(['--demo']));
    expect(rest).toHaveLength(0);
    expect(t!.model.sim).toMatchObject({ ttft_ms: 50, itl_ms: 5 });
    expect(t!.model.batch_size).toBe(16);
    expect(t!.dataset.synthetic!.RequestCount).toBe(200);
  });

  test('--demo-tasks N makes N varied simulated tasks', async () => {
    const tasks = await resolveTasks(opts(['--demo-tasks', '30', '--max-concurrency', '4']));
    expect(tasks).toHaveLength(30);
    expect(tasks[0]!.key).toBe('sim-a/synthetic-demo');
    expect(tasks[26]!.key).toBe('sim-aa/synthetic-demo');
    expect(new Set(tasks.map((t) => t.key)).size).toBe(30);
    expect(new Set(tasks.map((t) => `${t.model.sim!.ttft_ms}/${t.model.sim!.itl_ms}`)).size).toBeGreaterThan(5);
    // Quick overrides still apply to every generated task.
    expect(tasks.every((t) => t.model.batch_size === 4)).toBe(true);
  });
});

describe('overrides', () => {
  test('every quick override lands in every model task', async () => {
    const tasks = await resolveTasks(
      opts([
        '--models',
        'vllm_api_stream_chat',
        'vllm_api_general_stream',
        '--datasets',
        'synthetic_gen',
        '--url',
        'http://10.0.0.1:9000',
        '--api-key',
        'k-123',
        '--max-concurrency',
        '32',
        '--request-rate',
        '4',
        '--burstiness',
        '0.5',
        '--ramp-up',
        'linear:10:50',
        '--max-out-len',
        '100',
        '--retry',
        '0',
        '--timeout',
        '30',
        '--first-byte-timeout',
        '3',
        '--tokenizer',
        '/tok',
        '--seed',
        '9',
      ]),
    );
    expect(tasks.map((t) => t.key)).toEqual(['vllm-api-stream-chat/synthetic', 'vllm-api-general-stream/synthetic']);
    for (const t of tasks) {
      expect(t.model).toMatchObject({
        url: 'http://10.0.0.1:9000',
        api_key: 'k-123',
        batch_size: 32,
        request_rate: 4,
        max_out_len: 100,
        retry: 0,
        timeout: 30,
        first_byte_timeout: 3,
        path: '/tok',
        traffic_cfg: { burstiness: 0.5, ramp_up_strategy: 'linear', ramp_up_start_rps: 10, ramp_up_end_rps: 50 },
      });
      expect(t.dataset.seed).toBe(9);
    }
  });

  test('--dataset-path goes to file datasets only', async () => {
    const file = path.join(tmp, 'prompts.jsonl');
    writeFileSync(file, '{"prompt":"hi"}\n');
    const tasks = await resolveTasks(
      opts(['--models', 'vllm_api_stream_chat', '--datasets', 'custom', 'synthetic_gen', '--dataset-path', file]),
    );
    expect(tasks[0]!.dataset).toMatchObject({ type: 'custom', path: file });
    expect(tasks[1]!.dataset.path).toBe('');
  });

  test('--config-dir adds and replaces tasks (yaml, yml and json)', async () => {
    const dir = configDir({
      'models/vllm_api_stream_chat.yaml': 'abbr: mine\nbatch_size: 8\nurl: http://127.0.0.1:8001\n',
      'models/extra.json': JSON.stringify({ api: 'completions', host_port: 9001 }),
      'datasets/tiny.yml':
        'type: synthetic\nsynthetic:\n  Type: tokenid\n  RequestCount: 3\n  TokenIdConfig: {RequestSize: 10, PrefixLen: 2}\n',
    });
    const tasks = await resolveTasks(
      opts(['--config-dir', dir, '--models', 'vllm_api_stream_chat', 'extra', '--datasets', 'tiny']),
    );
    expect(tasks.map((t) => t.key)).toEqual(['mine/tiny', 'extra/tiny']);
    expect(tasks[0]!.model).toMatchObject({ batch_size: 8, url: 'http://127.0.0.1:8001', retry: 2 });
    expect(tasks[1]!.model).toMatchObject({ api: 'completions', host_port: 9001 });
  });
});

describe('validation messages name the file and the field', () => {
  const cases: Array<[string, string, string | RegExp]> = [
    ['batch_size: 0\n', 'yaml', "field 'batch_size': expected a positive integer"],
    ['batch_size: eight\n', 'yaml', "field 'batch_size': expected a positive integer"],
    ['retry: -1\n', 'yaml', "field 'retry': expected an integer ≥ 0"],
    ['request_rate: -2\n', 'yaml', "field 'request_rate': expected a number ≥ 0"],
    ['bogus: 1\n', 'yaml', "unknown field 'bogus'"],
    ['traffic_cfg: {burstiness: 1, speed: 2}\n', 'yaml', "unknown field 'traffic_cfg.speed'"],
    ['traffic_cfg: {burstiness: -1}\n', 'yaml', "field 'traffic_cfg.burstiness': expected a number ≥ 0"],
    [
      'traffic_cfg: {ramp_up_strategy: linear, ramp_up_start_rps: 1}\n',
      'yaml',
      "field 'traffic_cfg.ramp_up_end_rps': required when ramp_up_strategy is set",
    ],
    [
      'traffic_cfg: {ramp_up_strategy: linear, ramp_up_start_rps: 0, ramp_up_end_rps: 5}\n',
      'yaml',
      "field 'traffic_cfg.ramp_up_start_rps': expected a number > 0",
    ],
    [
      'traffic_cfg: {ramp_up_end_rps: 5}\n',
      'yaml',
      "field 'traffic_cfg.ramp_up_strategy': required when ramp_up_*_rps is set",
    ],
    ['url: localhost:8000\n', 'yaml', "field 'url': must start with http:// or https://"],
    ['url: "http://127.0.0.1:70000"\n', 'yaml', "field 'url': must have a port in 1..65535"],
    ['host_port: 0\n', 'yaml', "field 'host_port': expected a port 1..65535"],
    [
      'api: grpc\n',
      'yaml',
      "field 'api': expected 'chat', 'completions', 'chat_multiturn', 'tgi', 'triton', 'mindie' or 'vllm_old'",
    ],
    ['headers: nope\n', 'yaml', "field 'headers': expected a mapping of header names to strings"],
    ['stream: "yes"\n', 'yaml', "field 'stream': expected true or false"],
    ['abbr: "../evil"\n', 'yaml', "field 'abbr': expected letters"],
    ['sim: {ttft_ms: 5}\n', 'yaml', "field 'sim.itl_ms': required"],
    ['- a\n- b\n', 'yaml', 'expected a mapping of model task fields'],
    ['batch_size: [1\n', 'yaml', /: line \d+: Flow sequence/],
    ['{"batch_size": 1,}', 'json', /JSON/],
    ['', 'yaml', 'empty file'],
  ];
  test.each(cases)('model %j', async (text, ext, msg) => {
    const dir = configDir({ [`models/bad.${ext}`]: text });
    const m = await resolveError(['--config-dir', dir, '--models', 'bad', '--datasets', 'synthetic_gen']);
    expect(m.startsWith(`config ${path.join(dir, 'models', `bad.${ext}`)}:`)).toBe(true);
    if (typeof msg === 'string') expect(m).toContain(msg);
    else expect(m).toMatch(msg);
  });

  const syn = (input: string, extra = '') =>
    `type: synthetic\n${extra}synthetic:\n  Type: string\n  RequestCount: 10\n  StringConfig:\n    Input: ${input}\n    Output: {Method: uniform, Params: {MinValue: 1, MaxValue: 2}}\n`;
  const dcases: Array<[string, string]> = [
    [
      syn('{Method: uniform, Params: {MinValue: 9, MaxValue: 2}}'),
      "field 'synthetic.StringConfig.Input.Params.MaxValue': must be ≥ MinValue (9) (or set it with --input-len on the command line)",
    ],
    [
      syn('{Method: uniform, Params: {MinValue: 0, MaxValue: 2}}'),
      "field 'synthetic.StringConfig.Input.Params.MinValue': expected a positive integer (or set it with --input-len on the command line)",
    ],
    [
      syn('{Method: gaussian, Params: {Mean: 5, Var: -1, MinValue: 1, MaxValue: 9}}'),
      "field 'synthetic.StringConfig.Input.Params.Var': expected a number ≥ 0 (or set it with --input-len on the command line)",
    ],
    [
      syn('{Method: zipf, Params: {Alpha: 1, MinValue: 1, MaxValue: 9}}'),
      "field 'synthetic.StringConfig.Input.Params.Alpha': expected a number > 1 (or set it with --input-len on the command line)",
    ],
    [
      syn('{Method: lognormal, Params: {}}'),
      "field 'synthetic.StringConfig.Input.Method': expected a mapping with Method 'uniform', 'gaussian' or 'zipf' (or set it with --input-len on the command line)",
    ],
    [
      syn('{Method: uniform, Params: {MinValue: 1, MaxValue: 2}}').replace('RequestCount: 10', 'RequestCount: 0'),
      "field 'synthetic.RequestCount': expected a positive integer (or set it with --num-prompts on the command line)",
    ],
    ['type: synthetic\n', "field 'synthetic': required when type is 'synthetic'"],
    [
      'type: csv\n',
      "field 'type': expected 'synthetic', 'custom', 'gsm8k', 'sharegpt', 'trace', 'mmlu', 'ceval' or 'custom_qa'",
    ],
    ['path: x\n', "field 'type': required"],
    [
      'type: synthetic\nsynthetic: {Type: string, RequestCount: 5}\n',
      "field 'synthetic.StringConfig': required when Type is 'string'",
    ],
  ];
  // Fields that a flag sets end with the flag (config/field-flags.ts).
  test.each(dcases)('dataset %j', async (text, msg) => {
    const dir = configDir({ 'datasets/bad.yaml': text });
    const m = await resolveError(['--config-dir', dir, '--models', 'vllm_api_stream_chat', '--datasets', 'bad']);
    expect(m).toBe(`config ${path.join(dir, 'datasets', 'bad.yaml')}: ${msg}`);
  });

  test('unknown names list the known ones', async () => {
    expect(await resolveError(['--models', 'nosuch', '--datasets', 'synthetic_gen'])).toBe(
      "unknown model task 'nosuch' (known: mindie_stream_api_general, sim_stream_chat, tgi_stream_api_general, triton_stream_api_general, vllm_api_general, vllm_api_general_chat, vllm_api_general_stream, vllm_api_old, vllm_api_stream_chat, vllm_api_stream_chat_multiturn)",
    );
    expect(await resolveError(['--models', 'vllm_api_stream_chat', '--datasets', 'nosuch'])).toMatch(
      /^unknown dataset task 'nosuch' \(known: ceval_gen, custom, custom_qa, demo_gsm8k, gsm8k_gen, /,
    );
  });

  test('file datasets need a path that exists', async () => {
    expect(await resolveError(['--models', 'vllm_api_stream_chat', '--datasets', 'custom'])).toBe(
      "dataset 'custom' needs --dataset-path",
    );
    expect(
      await resolveError([
        '--models',
        'vllm_api_stream_chat',
        '--datasets',
        'gsm8k_gen',
        '--dataset-path',
        path.join(tmp, 'nope.jsonl'),
      ]),
    ).toBe(`dataset 'gsm8k_gen': no such file ${path.join(tmp, 'nope.jsonl')}`);
  });

  test('a missing --config-dir and clashing task names', async () => {
    expect(await resolveError(['--config-dir', path.join(tmp, 'nope'), '--demo'])).toMatch(
      /--config-dir .*nope: no such directory/,
    );
    const dir = configDir({ 'models/twin.yaml': 'abbr: vllm-api-stream-chat\n' });
    expect(
      await resolveError([
        '--config-dir',
        dir,
        '--models',
        'vllm_api_stream_chat',
        'twin',
        '--datasets',
        'synthetic_gen',
      ]),
    ).toMatch(/two tasks share the name 'vllm-api-stream-chat\/synthetic'/);
  });
});

describe('--search', () => {
  test('prints a box table of task type, name and absolute config path', () => {
    const text = searchText({ models: ['vllm_api_stream_chat'], datasets: ['synthetic_gen'] });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^╒═+╤═+╤═+╕$/);
    expect(lines[1]).toMatch(/^│ Task Type +│ Task Name +│ Config File Path +│$/);
    expect(lines[2]).toMatch(/^╞═+╪═+╪═+╡$/);
    const file = path.join(builtinConfigDir(), 'models', 'vllm_api_stream_chat.yaml');
    expect(lines[3]).toMatch(new RegExp(`^│ --models +│ vllm_api_stream_chat +│ ${file.replace(/[.]/g, '\\.')} +│$`));
    expect(lines[4]).toMatch(/^├─+┼─+┼─+┤$/);
    expect(lines[5]).toContain('│ --datasets │ synthetic_gen ');
    expect(lines[6]).toMatch(/^╘═+╧═+╧═+╛$/);
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
    expect(path.isAbsolute(file)).toBe(true);
  });

  test('with no names it lists every task, config-dir ones included', () => {
    const dir = configDir({ 'datasets/zz_mine.yaml': 'type: custom\npath: x\n' });
    const text = searchText({ models: [], datasets: [], configDir: dir });
    expect(text).toMatch(/│ --models +│ sim_stream_chat +│/);
    expect(text).toMatch(/│ --datasets +│ mooncake_trace +│/);
    expect(text).toContain(path.join(dir, 'datasets', 'zz_mine.yaml'));
    // 10 model + 10 dataset built-ins + zz_mine = 21 tasks, 2 lines each.
    expect(text.trimEnd().split('\n')).toHaveLength(3 + 2 * 21);
  });

  test('an empty table still has its header', () => {
    expect(searchTable([]).trimEnd().split('\n')).toHaveLength(4);
  });

  test('unknown names are an error', () => {
    expect(() => searchText({ models: ['nosuch'], datasets: [] })).toThrow(/unknown model task 'nosuch'/);
  });
});
