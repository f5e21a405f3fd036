/**
 * Everything one load worker holds, in one object made per task from its
 * 'init' message (was ~20 module-level variables in worker.ts): the shared
 * control words, the schedule and units, the undici Pool, the slots it holds,
 * the abort handles of its in-flight requests, and the delta counted since
 * its last post to the main thread.
 */
import { openSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { Pool } from 'undici';
import { newLiveDigest } from './live-digest.js';
import { CTL, type FromWorker, type WorkerInit } from './protocol.js';
import type { AbortSet } from './request.js';
import { connectOptions } from './tls.js';
import type { Tokenizer } from './tokenizer.js';
import type { RequestRecord } from './types.js';
import { UnitReader } from './unit-store.js';
import { collectSecrets } from '../core/redact.js';

/** What happened since the last post: counts, finished records, details lines (when not written here) and TTFTs. */
export class Delta {
  post = 0;
  recv = 0;
  finish = 0;
  fail = 0;
  out = 0;
  records: RequestRecord[] = [];
  lines: string[] = [];
  digest = newLiveDigest();

  get empty(): boolean {
    return this.post + this.recv + this.finish + this.fail === 0 && this.records.length === 0;
  }
}

export class WorkerState {
  readonly ctl: Int32Array;
  readonly schedule: Float64Array | null;
  readonly units: UnitReader;
  readonly pool: Pool;
  /** Abort handles of in-flight attempts and retry back-offs: a stop cancels them. */
  readonly inflight: AbortSet = new Set();
  /**
   * Credentials this worker sends (auth header values, with and without their
   * scheme word). A server may echo them in an error body ("invalid key
   * sk-..."): failure messages are masked here, before they reach the details
   * file, the failure table or the terminal.
   */
  readonly secrets: string[];
  /**
   * The most slots this worker may hold: its Pool's connection count. The
   * workers' caps add up to the task's concurrency, so the client opens
   * exactly one connection per concurrency slot (issue 17: an unbounded Pool
   * opened ~1.6 per slot, as a new request could find the finished one's
   * socket not yet free).
   */
  readonly myCap: number;
  /** Slots this worker holds. */
  mine = 0;
  /** This worker's loop, while it waits for a slot: release() hands its slot over directly. */
  slotWaiter: ((handed: boolean) => void) | null = null;
  /** The run's t = 0 (absolute ms on the shared clock), set by the go message. */
  runStart = 0;
  aborted = false;
  /** The details file, appended a whole line at a time; -1 = lines go to the main thread. */
  detailsFd = -1;
  delta = new Delta();
  /** The token audit's local tokenizer (init.tokenizerPath), null = no output audit. */
  tokenizer: Tokenizer | null = null;

  constructor(
    readonly init: WorkerInit,
    readonly post: (msg: FromWorker) => void,
  ) {
    this.secrets = collectSecrets([{ headers: init.headers, url: init.origin + init.path }]);
    this.ctl = new Int32Array(init.control);
    this.units = new UnitReader(init.units);
    this.schedule = init.schedule ? new Float64Array(init.schedule) : null;
    if (init.detailsPath) this.detailsFd = openSync(init.detailsPath, 'a');
    this.myCap = init.connections > 0 ? init.connections : Infinity;
    const connect = connectOptions(init.tls);
    this.pool = new Pool(init.origin, {
      connections: init.connections > 0 ? init.connections : null,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      ...(connect ? { connect } : {}),
    });
  }

  /** Aborted here, or the task was stopped (first Ctrl+C, end of a timed run). */
  get stopped(): boolean {
    return this.aborted || Atomics.load(this.ctl, CTL.STOP) === 1;
  }

  /** Stop sending and cancel every in-flight request and back-off now. */
  abort(): void {
    this.aborted = true;
    Atomics.store(this.ctl, CTL.STOP, 1);
    for (const a of [...this.inflight]) a('E_ABORTED');
  }

  /** Post the delta to the main thread (every tick, and at the end) and start a new one. */
  flush(): void {
    const d = this.delta;
    if (d.empty) return;
    const centroids = d.digest.toArray() as Array<{ mean: number; n: number }>;
    this.post({
      type: 'delta',
      workerIndex: this.init.workerIndex,
      threadId,
      post: d.post,
      recv: d.recv,
      finish: d.finish,
      fail: d.fail,
      records: d.records,
      lines: d.lines.length ? d.lines.join('\n') + '\n' : '',
      ttftCentroids: centroids.map((c) => ({ mean: c.mean, n: c.n })),
      outTokens: d.out,
    });
    this.delta = new Delta();
  }
}
