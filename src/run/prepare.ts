/**
 * Turns a validated task (model task × dataset task) into an engine plan:
 * loads the dataset, asks the server for its model name when none is set,
 * builds the arrival schedule, the headers and the request body template.
 */
import { isTextApi, protocolBaseBody, protocolPath, vllmOldBaseBody } from '../engine/protocols.js';
import { tlsDispatcher, type TlsOptions } from '../engine/tls.js';
import { request } from 'undici';
import { RuntimeError } from '../core/errors.js';
import type { PerfOptions } from '../config/options.js';
import type { ModelTask, TaskConfig } from '../config/types.js';
import { loadDataset } from '../datasets/index.js';
import { loadTokenizer, type Tokenizer } from '../engine/tokenizer.js';
import { arrivalFromModel, buildSchedule, type ArrivalSpec } from '../engine/arrival.js';
import type { TaskPlan } from '../engine/task-runner.js';
import type { RequestSpec } from '../engine/types.js';
import { shardPlan } from './shard-plan.js';
import { configFileOf } from '../config/registry.js';

export function baseUrl(m: ModelTask): string {
  const u = m.url ? m.url : `http://${m.host_ip}:${m.host_port}`;
  return u.replace(/\/+$/, '');
}

/**
 * Origin, path prefix and query of a base URL (`http://h:p/prefix?api-key=k` →
 * 'http://h:p', '/prefix', '?api-key=k'). The query goes with every request:
 * some gateways take their key there.
 */
export function splitUrl(u: string): { origin: string; prefix: string; query: string } {
  const url = new URL(u);
  let prefix = url.pathname.replace(/\/+$/, '');
  // Accept base URLs given with or without the /v1 suffix, or as a whole
  // endpoint (EvalScope's --url spelling: .../v1/chat/completions).
  prefix = prefix.replace(/\/v1(\/chat\/completions|\/completions)?$/, '');
  return { origin: url.origin, prefix, query: url.search };
}

export function requestHeaders(m: ModelTask): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  for (const [k, v] of Object.entries(m.headers ?? {})) h[k.toLowerCase()] = String(v);
  if (m.api_key) h.authorization = `Bearer ${m.api_key}`;
  return h;
}

/** GET /v1/models and take the first id; a dead server is a one-line runtime error. */
export async function discoverModel(m: ModelTask, tls?: TlsOptions): Promise<string> {
  const { origin, prefix, query } = splitUrl(baseUrl(m));
  const url = `${origin}${prefix}/v1/models${query}`;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: requestHeaders(m),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
      // Closed after the answer: the run's own connections are one per concurrency slot.
      reset: true,
      dispatcher: tlsDispatcher(tls),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      list = undefined;
    }
    const id = (list as { data?: { id?: unknown }[] } | undefined)?.data?.[0]?.id;
    if (typeof id === 'string' && id) return id;
    // The server answered: not "cannot reach", but nothing to take a name from.
    const found = Array.isArray((list as { data?: unknown })?.data)
      ? 'an empty model list'
      : `no model list (${text.length} bytes, not {"data":[{"id":...}]})`;
    throw new RuntimeError(`${url} answered with ${found}; ${setModelHint(m)}`, 'E_NO_MODEL');
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    const e = err as Error & { code?: string; cause?: { code?: string } };
    const why = e.code ?? e.cause?.code ?? e.message;
    throw new RuntimeError(
      `cannot reach ${url} to discover the model name (${why}); check --url, or ${setModelHint(m)}`,
      'E_CONNECT',
    );
  }
}

/** How to name the model: the flag, and the config field in the task's file. */
function setModelHint(m: ModelTask): string {
  const file = configFileOf(m.abbr);
  return `pass --model NAME (or set 'model' in ${file ?? `the model task ${m.abbr}`})`;
}

const tokenizers = new Map<string, Promise<Tokenizer>>();
function tokenizerFor(path: string): Promise<Tokenizer> {
  let t = tokenizers.get(path);
  if (!t) tokenizers.set(path, (t = loadTokenizer(path)));
  return t;
}

export interface PreparedTask {
  plan: TaskPlan;
  model: string;
  arrival: ArrivalSpec;
  requestCount: number;
  /** With --shard: the whole plan's hash (shard-plan.ts). */
  planHash?: string;
}

export async function prepareTask(task: TaskConfig, opts: PerfOptions, logPath: string): Promise<PreparedTask> {
  const m = task.model;
  const tokenizer = m.path ? await tokenizerFor(m.path) : undefined;
  const data = await loadDataset(task.dataset, {
    // TGI, Triton, MindIE and vLLM's old /generate take a text prompt, as completions do.
    api: isTextApi(m.api) || m.api === 'vllm_old' ? 'completions' : m.api,
    maxOutLen: m.max_out_len,
    numPrompts: opts.numPrompts,
    outCap: opts.maxOutLen,
    tokenizer,
    seed: opts.seed,
  });
  const units: RequestSpec[][] =
    m.api === 'chat_multiturn' ? (data.conversations ?? data.requests.map((r) => [r])) : data.requests.map((r) => [r]);
  // One builder for the run and --dry-run (it also validates): use_timestamp on a
  // dataset without timestamps is a config error in both (the run used to ignore it).
  const arrival = arrivalFromModel(m, { seed: opts.seed, timestamps: data.timestamps });
  const scheduled = arrival.timestamps !== undefined || arrival.rampUp !== undefined || arrival.requestRate >= 0.001;
  // TGI, MindIE and old vLLM bodies name no model (the old api_server has no /v1/models): nothing to discover.
  const model =
    m.model || (m.api === 'tgi' || m.api === 'mindie' || m.api === 'vllm_old' ? '' : await discoverModel(m, opts.tls));
  const { origin, prefix, query } = splitUrl(baseUrl(m));
  const baseBody: Record<string, unknown> = isTextApi(m.api)
    ? protocolBaseBody(m.api, m.stream, m.generation_kwargs)
    : m.api === 'vllm_old'
      ? vllmOldBaseBody(m.abbr, m.stream, m.generation_kwargs, Boolean(m.path))
      : {
          model,
          stream: m.stream,
          ...(m.stream ? { stream_options: { include_usage: true } } : {}),
          ...m.generation_kwargs,
        };
  let plan: TaskPlan = {
    key: task.key,
    abbr: m.abbr,
    dataset: task.dataset.abbr,
    origin,
    ...(opts.tls ? { tls: opts.tls } : {}),
    path: isTextApi(m.api)
      ? `${protocolPath(m.api, prefix, model, m.stream)}${query}`
      : m.api === 'vllm_old'
        ? `${prefix}/generate${query}`
        : `${prefix}/v1/${m.api === 'completions' ? 'completions' : 'chat/completions'}${query}`,
    api: m.api,
    headers: requestHeaders(m),
    baseBody,
    units,
    schedule: scheduled && !opts.pressure ? buildSchedule(units.length, arrival) : null,
    maxConcurrency: m.batch_size,
    retry: m.retry,
    timeoutMs: m.timeout * 1000,
    firstByteTimeoutMs: m.first_byte_timeout * 1000,
    idleTimeoutMs: m.idle_timeout * 1000,
    warmups: opts.numWarmups,
    workers: opts.workers ?? 0,
    pressureMs: opts.pressure ? (opts.pressureTime ?? 60) * 1000 : undefined,
    logPath,
    startAtEpochMs: opts.startAt,
    ...(m.path ? { tokenizerPath: m.path } : {}),
  };
  let planHash: string | undefined;
  if (opts.shard) ({ plan, hash: planHash } = shardPlan(plan, opts.shard));
  if (opts.ipcProgress && opts.startAt === undefined)
    plan.startGate = (await import('./ipc-presenter.js')).ipcStartGate(task.key);
  return { plan, model, arrival, requestCount: plan.units.reduce((a, u) => a + u.length, 0), planHash };
}
