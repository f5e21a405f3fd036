/**
 * The accuracy modes (seeds 002/004):
 *   all   = infer → eval → summary      infer = predictions only
 *   eval  = evaluate the predictions of --reuse [TS], then summary
 *   viz   = summary from the results of --reuse [TS]
 * `--reuse` takes the tasks from the run's saved config (command-line
 * overrides such as --url and --api-key still apply). Exit codes as perf:
 * 0 done, 1 every request failed / runtime error, 2 bad input, 130 / 143 stopped.
 * Signals and the teardown order: run/controller.ts.
 */
import path from 'node:path';
import type { AccuracyMode, PerfOptions } from '../config/options.js';
import { RuntimeError } from '../core/errors.js';
import { builtinConfigDir, resolveTasks } from '../config/registry.js';
import { applyModelOverrides } from '../config/overrides.js';
import type { TaskConfig } from '../config/types.js';
import { RunStore } from '../engine/run-store.js';
import { collectSecrets, registerSecrets } from '../core/redact.js';
import { createRunFolder, findRun, readRunConfig, runTimestamp, writeRunConfig } from '../output/run-folder.js';
import { openTaskLog } from '../output/task-log.js';
import type { Presenter } from '../run/presenter.js';
import { RunController, testCrashAfterMs, type StopSignal } from '../run/controller.js';
import { simOptionsOf, startSimHost, type SimHost } from '../run/sim-host.js';
import { evaluateTask, writeResult, type AccuracyResult } from '../scoring/eval.js';
import { InferJob, type InferSpec } from './infer.js';
import { accuracyKind } from '../datasets/accuracy/kind.js';
import { loadSamples } from '../datasets/accuracy/samples.js';
import { buildSummary, readResults, summaryText, writeSummary } from '../scoring/summary.js';
import type { AccuracyView } from '../scoring/view.js';
import { RunLayout } from '../core/run-layout.js';

/** The --demo dataset: 200 synthetic GSM8K-format questions shipped with the package. */
export function demoDatasetFile(): string {
  return path.join(builtinConfigDir(), 'data', 'demo_gsm8k.jsonl');
}

async function tasksOf(opts: PerfOptions): Promise<{ runDir: string | null; tasks: TaskConfig[]; opts: PerfOptions }> {
  if (opts.reuse !== undefined) {
    const runDir = findRun(opts.workDir, opts.reuse);
    const cfg = readRunConfig<PerfOptions>(runDir);
    const saved = cfg.cli ?? {};
    const o: PerfOptions = {
      ...opts,
      numPrompts: opts.numPrompts ?? saved.numPrompts,
      numReturn: opts.numReturn ?? saved.numReturn,
    };
    return { runDir, tasks: cfg.tasks.map((t) => ({ ...t, model: applyModelOverrides(t.model, o) })), opts: o };
  }
  let o = opts;
  if (opts.demo) o = { ...opts, datasetPath: demoDatasetFile() };
  let tasks = await resolveTasks(o);
  if (opts.demo) {
    const key = demoDatasetFile();
    tasks = tasks.map((t) => ({
      ...t,
      model: t.model.sim
        ? { ...t.model, sim: { ...t.model.sim, answer_key: key, accuracy: opts.accuracy ?? 0.7 } }
        : t.model,
    }));
  }
  for (const t of tasks) accuracyKind(t.dataset);
  return { runDir: null, tasks, opts: o };
}

function specOf(t: TaskConfig, opts: PerfOptions): InferSpec & { regex?: RegExp } {
  const kind = accuracyKind(t.dataset);
  return {
    task: t,
    kind,
    samples: loadSamples(kind, t.dataset.path, opts.numPrompts),
    numReturn: opts.numReturn ?? t.dataset.num_return ?? 1,
    regex: t.dataset.answer_regex ? new RegExp(t.dataset.answer_regex) : undefined,
  };
}

export async function runAccuracy(mode: AccuracyMode, cliOpts: PerfOptions, presenter: Presenter): Promise<number> {
  const { runDir: reused, tasks, opts } = await tasksOf(cliOpts);
  registerSecrets(collectSecrets(tasks.map((t) => t.model)));
  if (opts.apiKey) registerSecrets([opts.apiKey]);
  // Every dataset is read before the first request: a bad line stops the run with exit 2.
  const specs = mode === 'viz' ? [] : tasks.map((t) => specOf(t, opts));
  // A new run's folder is made once its datasets are known to be good.
  const runDir =
    reused ??
    (await createRunFolder(opts.workDir, new Date(), [
      RunLayout.configs,
      RunLayout.logDir('infer'),
      RunLayout.predictions,
    ]));
  if (!reused) writeRunConfig(runDir, tasks, opts);
  const echo = opts.debug
    ? (line: string) => process.stderr.write(line.endsWith('\n') ? line : line + '\n')
    : undefined;
  let signal: StopSignal | null = null;
  let message: string | undefined;
  const infers: InferJob[] = [];
  let sims: SimHost | null = null;
  const ctl = new RunController({ debug: opts.debug, crashAfterMs: testCrashAfterMs() });
  const abortInferencing = (): void => {
    for (const j of infers) if (j.runner.status === 'inferencing') j.runner.abortNow();
  };
  ctl.on('stop jobs', abortInferencing);
  ctl.on('close board', () => presenter.close());
  ctl.on('close simulators', () => sims?.close());
  try {
    if (mode === 'all' || mode === 'infer') {
      const simTasks = tasks.filter((t) => t.model.sim && !t.model.url);
      if (simTasks.length > 0) {
        sims = await startSimHost(
          simTasks.map((t) => {
            const s = t.model.sim!;
            // As perf, plus the answer key.
            return { ...simOptionsOf(s, t.model.model, opts.seed), answerKey: s.answer_key, accuracy: s.accuracy };
          }),
        );
        simTasks.forEach((t, i) => (t.model = { ...t.model, url: sims!.urls[i]! }));
      }
      const resume = { resume: opts.reuse !== undefined, retestFailed: !!opts.retestFailed };
      for (const s of specs) {
        const job = new InferJob(
          runDir,
          s,
          openTaskLog(runDir, s.task.model.abbr, s.task.dataset.abbr, { echo }, 'infer'),
        );
        await job.prepare(opts, resume);
        infers.push(job);
      }
      signal = await inferAll(runDir, infers, opts, presenter, ctl);
      ctl.on('stop jobs', abortInferencing);
      const total = infers.reduce((a, j) => a + j.runner.counts.finish + j.runner.counts.fail, 0);
      const failed = infers.reduce((a, j) => a + j.runner.counts.fail, 0);
      if (total > 0 && failed === total && !signal) {
        message = `every request failed; see ${path.join(runDir, RunLayout.logDir('infer'))}`;
      }
    }
    let results: AccuracyResult[] = [];
    if (mode === 'all' || mode === 'eval') {
      for (const [i, s] of specs.entries()) {
        const runner = infers[i]?.runner;
        runner?.finish('evaluating');
        const log = openTaskLog(runDir, s.task.model.abbr, s.task.dataset.abbr, { echo }, 'eval');
        const r = evaluateTask({
          runDir,
          abbr: s.task.model.abbr,
          dataset: s.task.dataset.abbr,
          kind: s.kind,
          samples: s.samples,
          numReturn: s.numReturn,
          regex: s.regex,
        });
        const file = writeResult(runDir, r);
        const c = r.counts;
        log.info(
          `evaluated ${c.expected} sample(s): ${c.answered} answered, ${c.failed} failed, ${c.missing} without a prediction${c.torn ? `, ${c.torn} torn line(s) skipped` : ''}`,
        );
        for (const m of r.metrics) log.info(`${m.dataset} ${m.metric}: ${m.value.toFixed(2)}`);
        log.info(`results in ${path.relative(runDir, file)}`);
        log.close();
        runner?.finish(infers[i]!.interrupted ? 'stopped' : 'finish');
        results.push(r);
      }
    }
    await ctl.run('flush files');
    const interrupted = signal !== null || infers.some((j) => j.interrupted);
    let code = signal === 'SIGTERM' ? 143 : interrupted ? 130 : message ? 1 : 0;
    if (mode === 'infer') {
      await ctl.run('close board');
      const where = path.join(runDir, RunLayout.predictions);
      process.stdout.write(
        `Predictions in ${where}${interrupted ? ` (stopped: resume with --mode infer --reuse ${path.basename(runDir)})` : ''}\n`,
      );
      if (message) process.stderr.write(`aisbench-tui: ${message}\n`);
      return code;
    }
    if (mode === 'viz') results = readResults(runDir);
    if (results.length === 0)
      throw new RuntimeError(`run ${runDir} has no results to summarise (run --mode eval --reuse first)`, 'E_REUSE');
    const summary = buildSummary(
      results,
      tasks.map((t) => t.model.abbr),
    );
    const files = writeSummary(runDir, summary, runTimestamp());
    const view: AccuracyView = { runDir, summary, results, files, interrupted, message };
    if (presenter.showAccuracy) {
      const chosen = await presenter.showAccuracy(view);
      if (chosen !== null) code = chosen;
    } else {
      await ctl.run('close board');
      process.stdout.write(summaryText(summary));
    }
    return code;
  } finally {
    await ctl.teardown();
  }
}

/** Runs the infer jobs (up to --max-num-workers at once) under the board; returns the signal that stopped them. */
async function inferAll(
  runDir: string,
  jobs: InferJob[],
  opts: PerfOptions,
  presenter: Presenter,
  ctl: RunController,
): Promise<StopSignal | null> {
  const store = new RunStore(runDir, () => jobs.map((j) => j.runner));
  ctl.on('flush files', () => {
    store.done = true;
    store.stop();
  });
  ctl.watch(store, () => jobs, presenter);
  store.start(presenter.refreshHz);
  let next = 0;
  let fatal: Error | null = null;
  const lane = async (): Promise<void> => {
    while (next < jobs.length && !ctl.stopping) {
      const job = jobs[next++]!;
      try {
        await job.run();
      } catch (err) {
        job.log.error((err as Error).message);
        fatal ??= err as Error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.maxNumWorkers, jobs.length) }, lane));
  } finally {
    await ctl.run('signal handlers off');
  }
  for (const j of jobs) if (j.runner.status === 'waiting') j.runner.finish('stopped');
  if (fatal && !ctl.signal) throw new RuntimeError((fatal as Error).message);
  return ctl.signal;
}
