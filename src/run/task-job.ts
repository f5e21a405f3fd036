/**
 * One task from start to files: runs the engine, appends every finished
 * request to `<dataset>_details.jsonl` as it arrives (synchronously, so a
 * crash keeps it), fills the metrics as requests finish, then writes the
 * CSV/JSON and the HTML reports.
 */
import type { Dialect } from '../metrics/dialects.js';
import { attachDialectTools } from './dialect-tools.js';
import { closeSync, mkdirSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { replaceFileSync } from '../output/safe-write.js';
import path from 'node:path';
import type { TaskConfig } from '../config/types.js';
import { TaskRunner, type TaskPlan } from '../engine/task-runner.js';
import { nowMs } from '../engine/clock.js';
import type { RequestRecord } from '../engine/types.js';
import { TaskAccumulator } from '../metrics/accumulator.js';
import { hideStreamOnly } from '../metrics/non-stream.js';
import { TaskServerMetrics, type ServerMetricsConfig } from '../servermetrics/task-server.js';
import type { Slo } from '../core/slo.js';
import type { TaskIdentity } from '../core/task.js';
import type { TaskResult } from '../metrics/types.js';
import { writeTaskResultFiles } from '../output/results-files.js';
import type { TaskLog } from '../output/task-log.js';
import { writeReports } from '../report/index.js';
import type { ArrivalSpec } from '../engine/arrival.js';
import { RateCheck } from './rate-check.js';
import { auditLogLine } from '../metrics/token-audit.js';
import { commonValueOf } from '../metrics/common.js';
import { RunLayout, TASK_FILE_SUFFIX } from '../core/run-layout.js';

export interface TaskMeta extends TaskIdentity {
  maxConcurrency: number;
  requestRate: number;
  burstiness?: number;
  rampUp?: ArrivalSpec['rampUp'];
  pressure: boolean;
  /** With --shard: which shard this is and the whole plan's hash (src/shard/). */
  shard?: { index: number; count: number; planHash: string };
  /** false for a non-stream model task: its tables hide TTFT/TPOT/ITL (metrics/non-stream.ts). */
  stream?: boolean;
  /** #13: prompts counted by a local tokenizer (`path`): the token audit rows. */
  tokenizer?: boolean;
}

/** Paths of one task's files, relative to the run folder. */
export function taskFiles(abbr: string, dataset: string) {
  return {
    dir: RunLayout.taskDir(abbr),
    details: RunLayout.taskFile(abbr, dataset, 'details'),
    meta: RunLayout.taskFile(abbr, dataset, 'meta'),
  };
}

export class TaskJob {
  readonly runner: TaskRunner;
  readonly acc: TaskAccumulator;
  private fd: number;
  result: TaskResult | null = null;
  interrupted = false;
  private readonly failLogged = new Map<string, number>();
  /** Latest end of a measured request, ms since run start. */
  private lastEnd = 0;
  private readonly rateCheck: RateCheck;
  private rateWarned = false;
  /** The server's own metrics of this task (--server-metrics), once run. */
  private server: TaskServerMetrics | null = null;

  constructor(
    readonly runDir: string,
    readonly task: TaskConfig,
    readonly plan: TaskPlan,
    readonly meta: TaskMeta,
    readonly log: TaskLog,
    readonly opts: { stats: string[]; slo?: Slo; stable: boolean; dialect?: Dialect; server?: ServerMetricsConfig },
  ) {
    const f = taskFiles(plan.abbr, plan.dataset);
    mkdirSync(path.join(runDir, f.dir), { recursive: true });
    replaceFileSync(path.join(runDir, f.meta), JSON.stringify(meta, null, 2) + '\n');
    // Created here so the file exists even if no request finishes; the
    // workers append each finished request themselves.
    this.fd = openSync(path.join(runDir, f.details), 'a');
    plan.detailsPath = path.resolve(runDir, f.details);
    this.acc = new TaskAccumulator({
      maxConcurrency: meta.maxConcurrency,
      slo: opts.slo,
      stable: opts.stable,
      dialect: opts.dialect,
      audit: meta.tokenizer,
    });
    this.rateCheck = new RateCheck(meta.rampUp || meta.pressure ? 0 : meta.requestRate, meta.maxConcurrency);
    this.runner = new TaskRunner(plan, {
      onRecords: (records, lines) => this.onRecords(records, lines),
      log: (level, msg) => this.log[level](msg),
    });
  }

  /**
   * A task that never started (the run was stopped while it waited): its
   * empty details and meta files go, so perf_viz and `view` do not report a
   * 0-request result for it.
   */
  discardUnstarted(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    const f = taskFiles(this.plan.abbr, this.plan.dataset);
    for (const rel of [f.details, f.meta]) rmSync(path.join(this.runDir, rel), { force: true });
    try {
      rmdirSync(path.join(this.runDir, f.dir)); // only when empty
    } catch {
      /* other tasks' files are there */
    }
  }

  /** Called with every batch of finished records (the adaptive controller watches them). */
  readonly recordListeners: Array<(records: RequestRecord[]) => void> = [];

  private onRecords(records: RequestRecord[], lines: string): void {
    for (const l of this.recordListeners) l(records);
    // Lines come here only when the plan has no details path.
    if (lines) writeSync(this.fd, lines);
    for (const r of records) {
      this.acc.add(r);
      if (!r.warmup && r.end > this.lastEnd) this.lastEnd = r.end;
      if (!r.ok) this.logFailure(r);
      this.rateCheck.add(r);
    }
    const w = this.rateCheck.warning();
    if (w) {
      this.runner.warning = w;
      if (!this.rateWarned) this.log.warn(w);
      this.rateWarned = true;
    }
  }

  private logFailure(r: RequestRecord): void {
    const code = r.code ?? 'E_UNKNOWN';
    const n = (this.failLogged.get(code) ?? 0) + 1;
    this.failLogged.set(code, n);
    this.log.warn(
      `request ${r.id}${r.turn ? ` turn ${r.turn}` : ''} failed after ${r.attempts} attempt(s): ${code}: ${r.message ?? ''}`,
    );
  }

  /** Run the engine, then compute and write every result file. */
  async run(): Promise<TaskResult> {
    this.log.info(
      `task ${this.plan.key}: ${this.plan.units.length} unit(s), max concurrency ${this.plan.maxConcurrency}`,
    );
    const server = this.opts.server ? new TaskServerMetrics(this.opts.server, this.log) : null;
    await server?.start();
    if (server?.active) this.runner.server = () => server.latest();
    try {
      const outcome = await this.runner.run();
      this.interrupted = outcome.interrupted;
    } finally {
      closeSync(this.fd);
      await server?.stop();
    }
    this.server = server;
    return this.finalize();
  }

  finalize(): TaskResult {
    const p = this.plan;
    const result = this.acc.finalize({
      key: p.key,
      abbr: p.abbr,
      dataset: p.dataset,
      model: this.meta.model,
      stats: this.opts.stats,
      interrupted: this.interrupted,
    });
    if (this.meta.stream === false) hideStreamOnly(result);
    if (this.server?.active) {
      result.common.push(
        ...this.server.finish(
          path.join(this.runDir, taskFiles(p.abbr, p.dataset).dir),
          p.dataset,
          this.runner.runStart,
        ),
      );
      result.series.server = this.server.points;
    }
    const files = writeTaskResultFiles(this.runDir, result);
    result.files = { ...result.files, ...files, details: taskFiles(p.abbr, p.dataset).details };
    attachDialectTools(result, path.join(this.runDir, result.files.details!), {
      key: p.key,
      abbr: p.abbr,
      dataset: p.dataset,
      model: this.meta.model,
      maxConcurrency: this.meta.maxConcurrency,
      slo: this.opts.slo,
      stable: this.opts.stable,
      audit: this.meta.tokenizer,
    });
    this.result = result;
    if (this.runner.runStart > 0) {
      const lag = nowMs() - (this.runner.runStart + this.lastEnd);
      this.log.info(`results ready ${lag.toFixed(0)} ms after the last request ended (${this.acc.counted} requests)`);
    }
    if (this.acc.audit.noUsage > 0) {
      this.log.info(
        `${this.acc.audit.noUsage} successful request(s) had no server usage: output tokens counted as token-bearing events, ` +
          `input tokens from ${this.meta.tokenizer ? 'the local tokenizer' : 'the synthetic target or 0 (give --tokenizer to count them)'}`,
      );
    }
    const audit = auditLogLine(this.acc.audit);
    if (audit) this.log.info(audit);
    if (this.acc.noDone > 0) {
      this.log.info(
        `${this.acc.noDone} successful stream(s) ended without data: [DONE] (counted as successes; see "Ended Without [DONE]")`,
      );
    }
    this.log.info(
      `computed (${result.dialect} dialect): ${commonValueOf(result.common, 'success_requests') ?? 0} ok, ` +
        `${commonValueOf(result.common, 'failed_requests') ?? 0} failed; files in ${RunLayout.taskDir(p.abbr)}`,
    );
    const w = this.rateCheck.warning();
    if (this.rateWarned && w) this.log.warn(`at the end: ${w}`);
    this.runner.finish(this.interrupted ? 'stopped' : 'finish');
    return result;
  }

  /** HTML reports, written after the results are shown (they read the details back). */
  async writeReports(): Promise<void> {
    if (!this.result) return;
    try {
      const written = await writeReports(
        this.runDir,
        this.plan.abbr,
        this.plan.dataset,
        path.join(this.runDir, taskFiles(this.plan.abbr, this.plan.dataset).details),
        {
          model: this.meta.model,
          title: `${this.plan.key} (metric dialect ${this.result.dialect ?? 'aisbench'})`,
          requestRate: this.meta.requestRate,
          rampUp: this.meta.rampUp,
          burstiness: this.meta.burstiness,
          ...(this.server?.active ? { server: this.server.points } : {}),
        },
      );
      for (const w of written) {
        const rel = path.relative(this.runDir, w);
        this.result.files[rel.endsWith(TASK_FILE_SUFFIX.rps) ? 'rps' : 'plot'] = rel;
      }
    } catch (err) {
      this.log.warn(`could not write the HTML report: ${(err as Error).message}`);
    }
  }
}
