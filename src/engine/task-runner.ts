/**
 * Runs one task on worker threads: spawns the workers, sends the warmup, opens
 * the measured phase, and publishes the workers' deltas: the counts and TTFTs
 * to its LiveMonitor (the board's live statistics, live-monitor.ts), the
 * finished records to a sink. Knows nothing about React, Ink or files.
 */
import type { TlsOptions } from './tls.js';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { nowMs } from './clock.js';
import { CTL, type FromWorker, type WorkerInit } from './protocol.js';
import type { ApiKind } from '../config/types.js';
import type { RequestRecord, RequestSpec, ServerLatest, TaskCounts, TaskSnapshot, TaskStatus } from './types.js';
import { distFile } from './dist-file.js';
import { LiveMonitor } from './live-monitor.js';
import { packUnits } from './unit-store.js';

/** How long after posting 'go' a scheduled run starts (ms): covers the message's latency. */
export const GO_LEAD_MS = 10;
/** While waiting for a start instant, touch the pre-opened connections this often (ms): under the pool's 30 s keep-alive. */
export const KEEP_WARM_MS = 15_000;

export interface TaskPlan {
  key: string;
  abbr: string;
  dataset: string;
  origin: string;
  /** https:// targets: CA and --insecure (engine/tls.ts). */
  tls?: TlsOptions;
  path: string;
  api: ApiKind;
  headers: Record<string, string>;
  baseBody: Record<string, unknown>;
  units: RequestSpec[][];
  /** Planned send offsets, ms from run start (null = as fast as slots allow). */
  schedule: Float64Array | null;
  maxConcurrency: number;
  retry: number;
  timeoutMs: number;
  firstByteTimeoutMs: number;
  /** Longest silence between reads once an answer streams, ms (0 or absent = none). */
  idleTimeoutMs?: number;
  warmups: number;
  /** Worker threads; 0 = automatic. */
  workers: number;
  /** Pressure mode: recycle the dataset and hold the cap for this long (ms). */
  pressureMs?: number;
  /** Cap at the start when a controller moves it later (setConcurrency); workers are sized for maxConcurrency. */
  initialConcurrency?: number;
  /** Absolute path of the details file the workers append to (null = lines go to the sink). */
  detailsPath?: string | null;
  /** Log path relative to the run folder (shown on the board). */
  logPath: string;
  /** Delta interval of the workers (ms). */
  tickMs?: number;
  /** Grace before in-flight requests are cancelled on stop (ms). */
  graceMs?: number;
  /** Keep each answer's text (accuracy modes; multi-turn always does). */
  collectText?: boolean;
  /** #13 token audit: the workers count each answer with this local tokenizer (RequestRecord.localOut). */
  tokenizerPath?: string;
  /** Shards: t = 0 of the measured phase at this wall-clock instant (epoch ms), or at once when it has passed. */
  startAtEpochMs?: number;
  /** --processes children: resolves with the common start instant (epoch ms) once every sibling is ready. */
  startGate?: () => Promise<number>;
  /** Shards: record id of unit i is idOffset + i × idStride, the unit's index in the whole plan. */
  idOffset?: number;
  idStride?: number;
}

export interface TaskSink {
  /** Finished records (incl. warmups, flagged) and their encoded details lines. */
  onRecords(records: RequestRecord[], lines: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
}

export interface TaskOutcome {
  /** Stopped before all units were sent. */
  interrupted: boolean;
  /** ms from run start to the end of the last request. */
  wallMs: number;
}

export class TaskRunner {
  status: TaskStatus = 'waiting';
  error?: string;
  /** SLO pass/fail of a finished task (capacity runs), shown in place of 'finish'. */
  verdict?: 'pass' | 'fail';
  /** The board's live statistics, fed with every delta the workers post. */
  readonly monitor = new LiveMonitor();
  private readonly workers: Worker[] = [];
  private readonly threadIds = new Set<number>();
  private readonly ctlBuf = new SharedArrayBuffer(CTL.SIZE * 4);
  private readonly ctl = new Int32Array(this.ctlBuf);
  private startedAt = 0;
  /** Start of the measured phase on the shared clock (ms); 0 before it. */
  runStart = 0;
  /** The server's own latest metrics for the board (set by the task job when it scrapes them). */
  server: (() => ServerLatest | undefined) | null = null;
  /** runStart on the wall clock (epoch ms): what shards compare with their common start instant. */
  runStartWallMs = 0;
  /** The common start instant this shard waited for (epoch ms), when there was one. */
  startInstantMs: number | undefined;
  private onStop: () => void = () => undefined;
  private readonly stopSignal = new Promise<undefined>((r) => (this.onStop = () => r(undefined)));
  private endedAt = 0;
  private stopping = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private pressureTimer: NodeJS.Timeout | null = null;

  /** Requests in the plan (turns of every unit), NaN in pressure mode; counted once, not per snapshot. */
  private readonly total: number;

  constructor(
    readonly plan: TaskPlan,
    private readonly sink: TaskSink,
  ) {
    this.total = plan.pressureMs !== undefined ? NaN : plan.units.reduce((a, u) => a + u.length, 0);
  }

  /** Number of worker threads for this plan on this machine. */
  static workerCount(plan: TaskPlan): number {
    // No more threads than slots: each holds at least one (see shareOf).
    if (plan.workers > 0) return Math.max(1, Math.min(plan.workers, plan.maxConcurrency));
    const cores = availableParallelism();
    // One thread copes with a few hundred streams; more threads only help
    // when there are cores to spare for them beside the main thread.
    return Math.max(1, Math.min(cores, Math.ceil(plan.maxConcurrency / 128), plan.units.length || 1));
  }

  /** Worker w's share of `max` slots among n workers; the shares add up to max. */
  static shareOf(max: number, n: number, w: number): number {
    return Math.floor(max / n) + (w < max % n ? 1 : 0);
  }

  async run(): Promise<TaskOutcome> {
    const plan = this.plan;
    Atomics.store(this.ctl, CTL.MAX, plan.initialConcurrency ?? plan.maxConcurrency);
    const n = TaskRunner.workerCount(plan);
    let schedBuf: SharedArrayBuffer | null = null;
    if (plan.schedule) {
      schedBuf = new SharedArrayBuffer(plan.schedule.length * 8);
      new Float64Array(schedBuf).set(plan.schedule);
    }
    const done = new Set<number>();
    const ready = new Set<number>();
    let allReady!: () => void;
    const readyP = new Promise<void>((r) => (allReady = r));
    let warmupResolve: ((m: { ok: number; failed: number; firstError?: string }) => void) | null = null;
    const warmupDone = new Promise<{ ok: number; failed: number; firstError?: string }>((r) => (warmupResolve = r));
    let allDone!: () => void;
    let fatal!: (e: Error) => void;
    const finished = new Promise<void>((res, rej) => {
      allDone = res;
      fatal = rej;
    });
    const packed = packUnits(plan.units);
    const workerFile = distFile(import.meta.url, 'engine/worker.js');
    this.startedAt = nowMs();
    for (let w = 0; w < n; w++) {
      const worker = new Worker(workerFile);
      this.workers.push(worker);
      this.threadIds.add(worker.threadId);
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'delta') {
          this.monitor.add(m);
          if (m.records.length || m.lines) this.sink.onRecords(m.records, m.lines);
        } else if (m.type === 'warmupDone') warmupResolve?.(m);
        else if (m.type === 'ready') {
          ready.add(m.workerIndex);
          if (ready.size === n) allReady();
        } else if (m.type === 'done') {
          done.add(m.workerIndex);
          if (done.size === n) allDone();
        } else if (m.type === 'fatal') fatal(new Error(m.message));
      });
      worker.on('error', (err) => fatal(err));
      const init: WorkerInit = {
        type: 'init',
        workerIndex: w,
        origin: plan.origin,
        tls: plan.tls ?? null,
        path: plan.path,
        api: plan.api,
        headers: plan.headers,
        baseBody: plan.baseBody,
        units: packed,
        recycle: plan.pressureMs !== undefined,
        control: this.ctlBuf,
        schedule: schedBuf,
        retry: plan.retry,
        timeoutMs: plan.timeoutMs,
        firstByteTimeoutMs: plan.firstByteTimeoutMs,
        idleTimeoutMs: plan.idleTimeoutMs ?? 0,
        tickMs: plan.tickMs ?? 50,
        warmups: w === 0 ? plan.warmups : 0,
        collectText: plan.collectText === true || plan.api === 'chat_multiturn' || plan.tokenizerPath !== undefined,
        tokenizerPath: plan.tokenizerPath,
        detailsPath: plan.detailsPath ?? null,
        idOffset: plan.idOffset,
        idStride: plan.idStride,
        connections: TaskRunner.shareOf(plan.maxConcurrency, n, w),
        preconnect: Math.min(
          TaskRunner.shareOf(plan.maxConcurrency, n, w),
          Math.ceil(Math.min(plan.maxConcurrency, plan.units.length || 1) / n),
        ),
      };
      worker.postMessage(init);
    }
    try {
      if (plan.warmups > 0) {
        this.status = 'warmup';
        this.sink.log('info', `sending ${plan.warmups} warmup request(s)`);
        const w: { ok: number; failed: number; firstError?: string } = await Promise.race([
          warmupDone,
          finished.then(() => ({ ok: 0, failed: 0 })),
        ]);
        if (w.ok === 0 && !this.stopping) {
          throw new Error(`all ${w.failed || plan.warmups} warmup request(s) failed (${w.firstError ?? 'no detail'})`);
        }
        this.sink.log('info', `warmup done: ${w.ok} ok, ${w.failed} failed`);
      }
      await Promise.race([readyP, finished]);
      if (!this.stopping) {
        this.status = 'inferencing';
        // With a schedule, t = 0 is set a little after 'go' is posted, so the
        // message's latency (ms on a busy machine) does not make the first sends late.
        let runStart = nowMs() + (plan.schedule ? GO_LEAD_MS : 0);
        const at = plan.startGate
          ? await this.keepWarmWhile(Promise.race([plan.startGate(), this.stopSignal]))
          : plan.startAtEpochMs;
        if (at !== undefined) {
          this.startInstantMs = at;
          runStart = await this.waitForStartInstant(at, runStart);
        }
        this.runStartWallMs = Date.now() + (runStart - nowMs());
        this.startedAt = runStart;
        this.runStart = runStart;
        for (const worker of this.workers) worker.postMessage({ type: 'go', runStart });
        if (plan.pressureMs !== undefined) {
          this.pressureTimer = setTimeout(() => Atomics.store(this.ctl, CTL.STOP, 1), plan.pressureMs);
        }
        await finished;
      }
      this.endedAt = nowMs();
      this.status = this.stopping ? 'stopped' : 'computing';
      return { interrupted: this.stopping, wallMs: this.endedAt - this.startedAt };
    } catch (err) {
      this.status = 'error';
      this.error = (err as Error).message;
      throw err;
    } finally {
      if (this.graceTimer) clearTimeout(this.graceTimer);
      if (this.pressureTimer) clearTimeout(this.pressureTimer);
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  /**
   * Wait (interruptibly) until GO_LEAD_MS before the wall-clock instant and
   * return it on the monotonic clock; an instant already past (or closer than
   * `earliest`) starts at `earliest`.
   */
  private async waitForStartInstant(atEpochMs: number, earliest: number): Promise<number> {
    const at = nowMs() + (atEpochMs - Date.now());
    if (at <= earliest) return earliest;
    this.sink.log('info', `waiting for the start instant ${new Date(atEpochMs).toISOString()}`);
    let touched = nowMs();
    while (!this.stopping && nowMs() < at - GO_LEAD_MS) {
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(1, at - GO_LEAD_MS - nowMs()))));
      // The pool closes connections idle for 30 s: one request on each keeps them open, so
      // a long wait does not end in a burst of new connections at t = 0 (the TTFT would pay for it).
      if (nowMs() - touched >= KEEP_WARM_MS) {
        touched = nowMs();
        for (const w of this.workers) w.postMessage({ type: 'keepWarm' });
      }
    }
    return at;
  }

  /** Touch the pre-opened connections every KEEP_WARM_MS until p settles. */
  private async keepWarmWhile<T>(p: Promise<T>): Promise<T> {
    const t = setInterval(() => this.workers.forEach((w) => w.postMessage({ type: 'keepWarm' })), KEEP_WARM_MS);
    try {
      return await p;
    } finally {
      clearInterval(t);
    }
  }

  /** Stop sending; after `graceMs` cancel what is still in flight. */
  stop(graceMs = this.plan.graceMs ?? 2000): void {
    if (this.stopping) return;
    this.stopping = true;
    this.onStop();
    // stopAll() also reaches tasks that already ended: only a running task has something to stop.
    if (this.status === 'inferencing' || this.status === 'warmup') {
      this.sink.log('info', `stop requested: no new requests; ${this.inflight} in flight get ${graceMs} ms to finish`);
    }
    Atomics.store(this.ctl, CTL.STOP, 1);
    Atomics.notify(this.ctl, CTL.INFLIGHT);
    if (this.workers.length === 0) return;
    this.graceTimer = setTimeout(() => this.abortNow(), graceMs);
    this.graceTimer.unref();
  }

  /** Move the concurrency cap while running (the adaptive controller): waiting workers re-check at once. */
  setConcurrency(n: number): void {
    Atomics.store(this.ctl, CTL.MAX, Math.max(1, Math.min(n, this.plan.maxConcurrency)));
    Atomics.notify(this.ctl, CTL.INFLIGHT);
  }

  /** End a pressure run before its time, as its timer would (not an interruption). */
  endEarly(): void {
    Atomics.store(this.ctl, CTL.STOP, 1);
    Atomics.notify(this.ctl, CTL.INFLIGHT);
  }

  /** Cancel every in-flight request now. */
  abortNow(): void {
    if (this.status === 'inferencing' || this.status === 'warmup') {
      this.sink.log('warn', `cancelling ${this.inflight} in-flight request(s)`);
    }
    this.stopping = true;
    this.onStop();
    Atomics.store(this.ctl, CTL.STOP, 1);
    for (const w of this.workers) w.postMessage({ type: 'abort' });
  }

  get inflight(): number {
    return Atomics.load(this.ctl, CTL.INFLIGHT);
  }

  /** Requests posted, answered, finished and failed so far (live). */
  get counts(): TaskCounts {
    return this.monitor.counts;
  }

  /** Shown on the board while set (run/task-job.ts sets it when the rate is out of reach). */
  warning: string | undefined;

  /** Called at the snapshot tick (the monitor samples the in-flight history once a second). */
  snapshot(now = nowMs()): TaskSnapshot {
    const p = this.plan;
    const running = this.status === 'inferencing' || this.status === 'warmup';
    const live = this.monitor.stats(
      { running, inflight: this.inflight, startedAt: this.startedAt, endedAt: this.endedAt },
      now,
    );
    return {
      key: p.key,
      abbr: p.abbr,
      dataset: p.dataset,
      status: this.status,
      total: this.total,
      counts: live.counts,
      threads: [...this.threadIds],
      elapsedMs: live.elapsedMs,
      itPerSec: live.itPerSec,
      inflight: this.status === 'waiting' ? 0 : this.inflight,
      inflightHistory: live.inflightHistory,
      ttftP50: live.ttftP50,
      ttftP99: live.ttftP99,
      outTokPerSec: live.outTokPerSec,
      logPath: p.logPath,
      error: this.error,
      ...(this.verdict ? { verdict: this.verdict } : {}),
      ...(this.warning ? { warning: this.warning } : {}),
      ...(this.server ? { server: this.server() } : {}),
    };
  }

  /** The live TTFT digest's centroids (a --processes child sends them to the parent, which merges them). */
  ttftCentroids(): Array<{ mean: number; n: number }> {
    return this.monitor.ttftCentroids();
  }

  /** Mark the end of result computation. */
  finish(status: TaskStatus = 'finish'): void {
    this.status = status;
  }
}
