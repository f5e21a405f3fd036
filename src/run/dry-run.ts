/**
 * --dry-run: what each task would send, without sending anything: the model,
 * the request count, input and output length distributions, concurrency,
 * rate, and an estimated duration. The dataset is built exactly as a run
 * builds it (same seed, same --num-prompts, same --max-out-len cap).
 */
import type { PerfOptions } from '../config/options.js';
import type { TaskConfig } from '../config/types.js';
import { loadDataset } from '../datasets/index.js';
import { loadTokenizer } from '../engine/tokenizer.js';
import { arrivalFromModel, buildSchedule } from '../engine/arrival.js';
import type { RequestSpec } from '../engine/types.js';
import { redactUrl } from '../core/redact.js';

/** The options a dry run reads. */
type DryRunOptions = Pick<PerfOptions, 'numPrompts' | 'maxOutLen' | 'seed' | 'pressure' | 'pressureTime'>;

/** min / median / mean / max of whole numbers, as `a-b (median m, mean x)`; one value when all equal. */
export function describeLengths(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const min = s[0];
  const max = s.at(-1);
  if (min === undefined || max === undefined) return '-';
  if (min === max) return `${min}`;
  const median = s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `${min}-${max} (median ${median}, mean ${mean.toFixed(1)})`;
}

const words = (r: RequestSpec): number => {
  const text = r.prompt ?? (r.messages ?? []).map((m) => m.content).join(' ');
  return text.split(/\s+/).filter(Boolean).length;
};

/** Seconds as `12.3 s` or `4 min 05 s`. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}

/** The dry-run text of one task (several lines, the first naming the task). */
export async function dryRunTask(t: TaskConfig, o: DryRunOptions): Promise<string> {
  const m = t.model;
  const tokenizer = m.path ? await loadTokenizer(m.path) : undefined;
  const data = await loadDataset(t.dataset, {
    api: m.api,
    maxOutLen: m.max_out_len,
    numPrompts: o.numPrompts,
    outCap: o.maxOutLen,
    tokenizer,
    seed: o.seed,
  });
  const reqs = data.conversations ? data.conversations.flat() : data.requests;
  const n = reqs.length;
  const known = reqs.every((r) => r.inputTokens !== undefined);
  const input = known
    ? describeLengths(reqs.map((r) => r.inputTokens!)) + ' tokens'
    : describeLengths(reqs.map(words)) + ' words (the server counts the tokens)';
  const eos = m.generation_kwargs?.ignore_eos === true;
  const output = `${describeLengths(reqs.map((r) => r.maxOutLen))} tokens${eos ? ' (ignore_eos: exact)' : ' (limits: the server may stop earlier)'}`;
  const where = m.sim ? 'embedded simulator' : redactUrl(m.url || `http://${m.host_ip}:${m.host_port}`);
  const model = m.model || (m.sim ? 'sim-model' : '(first id of /v1/models at start; --model NAME to set)');
  const conc = o.pressure ? m.batch_size : Math.min(m.batch_size, n);
  const arrival = arrivalFromModel(m, { seed: o.seed, timestamps: data.timestamps });
  const scheduled = arrival.timestamps !== undefined || arrival.rampUp !== undefined || arrival.requestRate >= 0.001;
  const rate = arrival.rampUp
    ? `ramp ${arrival.rampUp.strategy} ${arrival.rampUp.startRps}→${arrival.rampUp.endRps} req/s`
    : arrival.timestamps
      ? 'trace timestamps'
      : scheduled
        ? `${arrival.requestRate} req/s${arrival.burstiness ? ` (burstiness ${arrival.burstiness})` : ''}`
        : 'all at once (limited by concurrency)';
  return [
    `${t.key}: ${m.api} at ${where}, model ${model}`,
    `  requests ${n}${o.pressure ? ` (recycled for ${o.pressureTime ?? '?'} s of pressure)` : ''}, concurrency ${conc}, rate ${rate}`,
    `  input ${input}`,
    `  output ${output}`,
    `  estimated duration ${estimate(t, o, reqs, scheduled ? buildSchedule(n, arrival) : null, conc)}`,
  ].join('\n');
}

/**
 * Scheduled: the last planned send (the run lasts at least that long, plus
 * the last answer). Otherwise n / concurrency waves of one request each, at
 * the simulator's profile (TTFT + mean output × ITL) or, for a real server,
 * at an assumed 1 s per request (stated in the text).
 */
function estimate(
  t: TaskConfig,
  o: DryRunOptions,
  reqs: RequestSpec[],
  schedule: Float64Array | null,
  conc: number,
): string {
  if (o.pressure && o.pressureTime !== undefined) return `${formatSeconds(o.pressureTime)} (--pressure-time)`;
  if (schedule && schedule.length > 0)
    return `at least ${formatSeconds(schedule.at(-1)! / 1000)} (the last planned send) plus the last answer`;
  const meanOut = reqs.reduce((a, r) => a + r.maxOutLen, 0) / Math.max(1, reqs.length);
  const waves = Math.ceil(reqs.length / Math.max(1, conc));
  const sim = t.model.sim;
  if (sim) {
    const perReqS = (sim.ttft_ms + meanOut * sim.itl_ms) / 1000;
    return `about ${formatSeconds(waves * perReqS)} (${waves} waves × ${perReqS.toFixed(2)} s per request at the simulator's TTFT and ITL)`;
  }
  return `about ${formatSeconds(waves)} at 1 s per request (${waves} waves of ${conc}); the server's speed decides`;
}

export async function dryRun(tasks: TaskConfig[], o: DryRunOptions): Promise<string> {
  const out: string[] = [];
  for (const t of tasks) out.push(await dryRunTask(t, o));
  return out.join('\n') + '\n';
}
