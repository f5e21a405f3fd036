/**
 * The infer phase of one task: the same engine, concurrency cap, retries and
 * board as perf, sending each sample's prompt `numReturn` times (no warmup:
 * every request is a sample). The worker threads append each finished
 * request to `predictions/<abbr>/<dataset>.json` (predictions.ts).
 *
 * Resume (`--reuse`): only (sample, replica) pairs without a line are sent;
 * with `retestFailed`, only those whose last line is a failure.
 */
import { isTextApi } from '../engine/protocols.js';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { PerfOptions } from '../config/options.js';
import type { TaskConfig } from '../config/types.js';
import { buildSchedule } from '../engine/arrival.js';
import { TaskRunner } from '../engine/task-runner.js';
import type { RequestRecord, RequestSpec } from '../engine/types.js';
import type { TaskLog } from '../output/task-log.js';
import { prepareTask } from '../run/prepare.js';
import { predictionsPath } from '../scoring/eval.js';
import { predKey, readPredictions, type PredictionEcho } from '../scoring/predictions.js';
import { sampleSpec } from '../datasets/accuracy/prompts.js';
import type { AccuracyKind, Sample } from '../datasets/accuracy/samples.js';

export interface InferSpec {
  task: TaskConfig;
  kind: AccuracyKind;
  samples: Sample[];
  numReturn: number;
}

/** Which (sample, replica) pairs to send. */
export function pendingPairs(
  file: string,
  samples: readonly Sample[],
  numReturn: number,
  mode: { resume: boolean; retestFailed: boolean },
): Array<[Sample, number]> {
  const have = mode.resume ? readPredictions(file).latest : new Map();
  const out: Array<[Sample, number]> = [];
  for (const s of samples) {
    for (let r = 0; r < numReturn; r++) {
      const p = have.get(predKey(s.id, r));
      const send = mode.retestFailed ? p !== undefined && !p.ok : p === undefined;
      if (send) out.push([s, r]);
    }
  }
  return out;
}

/** A line torn by a crash must not swallow the next one appended: end it first. */
export function endTornLine(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const fd = openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    if (b[0] !== 10) writeSync(fd, '\n', size);
  } finally {
    closeSync(fd);
  }
}

export class InferJob {
  runner!: TaskRunner;
  interrupted = false;
  toSend = 0;
  model = '';

  constructor(
    readonly runDir: string,
    readonly spec: InferSpec,
    readonly log: TaskLog,
  ) {}

  async prepare(opts: PerfOptions, mode: { resume: boolean; retestFailed: boolean }): Promise<void> {
    const { task, kind, samples, numReturn } = this.spec;
    const file = path.resolve(predictionsPath(this.runDir, task.model.abbr, task.dataset.abbr));
    mkdirSync(path.dirname(file), { recursive: true });
    endTornLine(file);
    closeSync(openSync(file, 'a'));
    const pairs = pendingPairs(file, samples, numReturn, mode);
    const m = task.model;
    // Text-prompt APIs (completions, TGI, Triton, MindIE, old vLLM /generate) take the prompt as one string, not chat messages.
    const completions = m.api === 'completions' || isTextApi(m.api) || m.api === 'vllm_old';
    const units: RequestSpec[][] = pairs.map(([s, r], i) => {
      const spec = sampleSpec(i, kind, s, completions, {
        api: completions ? 'completions' : m.api,
        maxOutLen: m.max_out_len,
      });
      const echo: PredictionEcho = { sample: s.id, replica: r, reference: s.reference };
      spec.echo = echo as unknown as Record<string, unknown>;
      return [spec];
    });
    const prepared = await prepareTask(task, { ...opts, numPrompts: 1, pressure: false }, this.log.path);
    const plan = prepared.plan;
    plan.units = units;
    plan.schedule = plan.schedule ? buildSchedule(units.length, prepared.arrival) : null;
    plan.warmups = 0;
    plan.collectText = true;
    plan.detailsPath = file;
    this.model = prepared.model;
    this.toSend = units.length;
    const already = samples.length * numReturn - pairs.length;
    this.log.info(
      `task ${task.key}: ${samples.length} question(s) x ${numReturn}; sending ${units.length}` +
        (mode.resume ? ` (${mode.retestFailed ? 'failed ones only' : `${already} already have a prediction`})` : '') +
        `, max concurrency ${plan.maxConcurrency}`,
    );
    this.runner = new TaskRunner(plan, {
      onRecords: (records) => this.onRecords(records),
      log: (level, msg) => this.log[level](msg),
    });
  }

  private onRecords(records: RequestRecord[]): void {
    for (const r of records) {
      if (!r.ok)
        this.log.warn(
          `request ${r.id} failed after ${r.attempts} attempt(s): ${r.code ?? 'E_UNKNOWN'}: ${r.message ?? ''}`,
        );
    }
  }

  async run(): Promise<void> {
    const outcome = await this.runner.run();
    this.interrupted = outcome.interrupted;
    const c = this.runner.counts;
    this.log.info(
      `inference done: ${c.finish} ok, ${c.fail} failed of ${this.toSend}; predictions in ${path.relative(this.runDir, this.runner.plan.detailsPath!)}`,
    );
  }
}
