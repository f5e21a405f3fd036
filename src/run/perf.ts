/**
 * `--mode perf`: resolve tasks, make the run folder, start simulators, run up
 * to --max-num-workers tasks at once, publish snapshots to the presenter
 * (board or plain lines), compute, write and show the results.
 *
 * Signals, teardown order and exit codes belong to run/controller.ts.
 */
import type { Dialect } from '../metrics/dialects.js';
import path from 'node:path';
import type { PerfOptions } from '../config/options.js';
import { RuntimeError } from '../core/errors.js';
import { resolveTasks } from '../config/registry.js';
import type { TaskConfig } from '../config/types.js';
import { RunStore } from '../engine/run-store.js';
import { parseStats } from '../metrics/stats.js';
import { allRequestsFailed } from '../metrics/common.js';
import type { TaskResult } from '../metrics/types.js';
import { collectSecrets, redactText, registerSecrets, registeredSecrets } from '../core/redact.js';
import { sanitizeText } from '../core/sanitize.js';
import { createRunFolder, writeRunConfig } from '../output/run-folder.js';
import { openTaskLog } from '../output/task-log.js';
import { simOptionsOf, startSimHost, type SimHost } from './sim-host.js';
import { baseUrl, prepareTask, requestHeaders, splitUrl } from './prepare.js';
import type { ServerMetricsConfig } from '../servermetrics/task-server.js';
import { TaskJob } from './task-job.js';
import type { Presenter } from './presenter.js';
import { perfExit, RunController, testCrashAfterMs } from './controller.js';
import { exportIfAsked } from './export.js';
import { checkOpenFiles } from './fd-limit.js';
import { localFailureMessage } from './local-failures.js';
import { shardConcurrency } from './shard-plan.js';
import { writeShardManifest } from './shard-manifest.js';
import { startLiveState } from './live-state.js';
import type { Campaign, CapacityReport } from '../capacity/campaign.js';
import { RunLayout } from '../core/run-layout.js';

export interface PerfRunOutcome {
  code: number;
  runDir: string;
  results: TaskResult[];
}

/**
 * `plan` turns the resolved tasks into the campaign to run (capacity/campaign.ts's
 * planCampaign: plain, sweep, repeats, SLO search, adaptive); the caller
 * decides, so run/ needs only the campaign's shape.
 */
export async function runPerf(
  opts: PerfOptions,
  presenter: Presenter,
  plan: (tasks: TaskConfig[]) => Campaign,
): Promise<number> {
  const stats = parseStats(opts.stats);
  if (opts.tls?.insecure)
    process.stderr.write('aisbench-tui: warning: --insecure: server certificates are not verified\n');
  const campaign = plan(await resolveTasks(opts));
  const tasks = campaign.tasks;
  registerSecrets(collectSecrets(tasks.map((t) => t.model)));
  registerSecrets(collectSecrets([{ apiKey: opts.apiKey, url: opts.url }]));
  checkOpenFiles(
    tasks.map((t) => ({
      batch: opts.shard ? shardConcurrency(t.model.batch_size, opts.shard) : t.model.batch_size,
      sim: Boolean(t.model.sim && !t.model.url),
    })),
    opts.maxNumWorkers,
  );
  const runDir = await createRunFolder(opts.workDir);
  writeRunConfig(runDir, tasks, opts);

  let sims: SimHost | null = null;
  const simTasks = tasks.filter((t) => t.model.sim && !t.model.url);
  const jobs: TaskJob[] = [];
  const ctl = new RunController({ debug: opts.debug, crashAfterMs: testCrashAfterMs() });
  ctl.on('close board', () => presenter.close());
  ctl.on('close simulators', () => sims?.close());
  try {
    if (simTasks.length > 0) {
      sims = await startSimHost(simTasks.map((t) => simOptionsOf(t.model.sim!, t.model.model, opts.seed)));
      simTasks.forEach((t, i) => (t.model = { ...t.model, url: sims!.urls[i]! }));
    }

    for (const t of tasks) jobs.push(await makeJob(runDir, t, opts, stats));
    if (opts.shard) writeShardManifest(runDir, opts, jobs);

    const store = new RunStore(runDir, () => jobs.map((j) => j.runner));
    ctl.watch(store, () => jobs, presenter);
    store.start(presenter.refreshHz);
    const stopLive = opts.shard ? startLiveState(runDir, store, opts.shard) : () => undefined;
    ctl.on('flush files', () => {
      store.done = true;
      store.stop();
      if (opts.shard) writeShardManifest(runDir, opts, jobs);
      stopLive();
    });

    // Run up to --max-num-workers tasks at once; the rest stay 'waiting'.
    let next = 0;
    let fatal: Error | null = null;
    const lane = async (): Promise<void> => {
      while (next < jobs.length && !ctl.stopping) {
        const job = jobs[next++]!;
        try {
          campaign.attach?.(job);
          await job.run();
          if (job.result) job.runner.verdict = campaign.verdict(job.task, job.result);
        } catch (err) {
          job.log.error((err as Error).message);
          if (err instanceof RuntimeError) fatal ??= err;
          else fatal ??= new RuntimeError(`task ${job.plan.key}: ${(err as Error).message}`);
        }
        // An SLO search adds its next probe here (derived from the finished task, simulator URL included).
        if (!ctl.stopping)
          for (const t of campaign.next(job.task, job.result)) jobs.push(await makeJob(runDir, t, opts, stats));
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.maxNumWorkers, jobs.length) }, lane));
    for (const j of jobs) {
      if (j.result || j.runner.status !== 'waiting') continue;
      j.runner.finish('stopped');
      j.discardUnstarted();
    }
    await ctl.run('flush files');
    await ctl.run('signal handlers off');
    const signal = ctl.signal;

    const results = jobs.flatMap((j) => (j.result ? [j.result] : []));
    const interrupted = signal !== null || jobs.some((j) => j.interrupted);
    await exportIfAsked(runDir, results, opts);
    let capacity: CapacityReport | undefined;
    try {
      capacity = campaign.finish(
        runDir,
        jobs.map((j) => ({ task: j.task, result: j.result })),
      );
    } catch (err) {
      process.stderr.write(`aisbench-tui: could not write the capacity summary: ${(err as Error).message}\n`);
    }
    // The HTML reports read the details back: they are written while the
    // results are already on screen, so results appear as the last request ends.
    const reports = (async () => {
      for (const j of jobs) await j.writeReports();
    })();

    const top = results[0]?.failures[0];
    // Out of descriptors or ports: the figures are the client's, not the server's.
    const local = localFailureMessage(results);
    const exit = perfExit({
      signal,
      interrupted,
      hasResults: results.length > 0,
      allFailed: results.length > 0 && results.every((r) => allRequestsFailed(r.common)),
      allFailedMessage: `every request failed${top ? ` (${top.code} x${top.count}: ${top.example})` : ''}; see ${path.join(runDir, RunLayout.logDir())}`,
      fatal,
      writeFailure: jobs.find((j) => j.log.writeFailure)?.log.writeFailure,
      localFailure: local,
    });
    const code = exit.code;
    // The one line the board or stderr shows: no terminal control, no secret (it may quote a server or a URL).
    const message =
      exit.message === undefined ? undefined : redactText(sanitizeText(exit.message), registeredSecrets());
    // SIGTERM means "stop and go" (a scheduler, a CI timeout): results are
    // written, nobody is there to browse them.
    if (signal === 'SIGTERM' && presenter.interactive) {
      await ctl.run('close board');
      process.stderr.write(`aisbench-tui: stopped by SIGTERM; results in ${runDir}\n`);
      await reports;
      return code;
    }
    const chosen = await presenter.showResults({ runDir, results, interrupted, message, capacity });
    await reports;
    // A local limit keeps exit 1 even when the results view is left with q (0).
    return local ? (chosen ?? code) || 1 : (chosen ?? code);
  } finally {
    await ctl.teardown();
  }
}

async function makeJob(runDir: string, t: TaskConfig, opts: PerfOptions, stats: string[]): Promise<TaskJob> {
  const log = openTaskLog(runDir, t.model.abbr, t.dataset.abbr, {
    echo: opts.debug ? (line) => process.stderr.write(line.endsWith('\n') ? line : line + '\n') : undefined,
  });
  let prepared: Awaited<ReturnType<typeof prepareTask>>;
  try {
    prepared = await prepareTask(t, opts, log.path);
  } catch (err) {
    // The run folder stays; its log says why nothing was sent (and --reuse skips it).
    log.error(`task ${t.key} failed before sending any request: ${(err as Error).message}`);
    log.close();
    throw err;
  }
  const m = t.model;
  return new TaskJob(
    runDir,
    t,
    prepared.plan,
    {
      key: t.key,
      abbr: m.abbr,
      dataset: t.dataset.abbr,
      model: prepared.model,
      maxConcurrency: prepared.plan.maxConcurrency,
      // A shard offers 1/N of the rate (its rps plot's planned line); merge adds the shards back up.
      requestRate: opts.shard ? m.request_rate / opts.shard.count : m.request_rate,
      burstiness: m.traffic_cfg?.burstiness,
      rampUp: prepared.arrival.rampUp,
      pressure: opts.pressure,
      ...(opts.shard && prepared.planHash ? { shard: { ...opts.shard, planHash: prepared.planHash } } : {}),
      stream: m.stream,
      tokenizer: Boolean(m.path),
    },
    log,
    {
      stats,
      slo: opts.slo,
      stable: opts.summarizer === 'stable_stage' || opts.pressure,
      dialect: opts.metricDialect as Dialect | undefined,
      server: serverMetricsConfig(m, opts),
    },
  );
}

/** #15: where a task's server metrics are scraped (undefined = off; see PerfOptions.serverMetrics). */
function serverMetricsConfig(m: TaskConfig['model'], opts: PerfOptions): ServerMetricsConfig | undefined {
  if (opts.serverMetrics === false) return undefined;
  const { origin, prefix } = splitUrl(baseUrl(m));
  const url = typeof opts.serverMetrics === 'string' ? opts.serverMetrics : `${origin}${prefix}/metrics`;
  // The task's auth headers go only to the task's own server.
  const headers = new URL(url).origin === origin ? requestHeaders(m) : {};
  delete headers['content-type'];
  return {
    url,
    headers,
    explicit: opts.serverMetrics !== undefined || !!opts.specDecode,
    specDecode: !!opts.specDecode,
    tls: opts.tls,
  };
}
