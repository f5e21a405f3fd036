/**
 * A capacity run as a list of tasks that may grow while it runs: sweeps and
 * repeats are fixed up front; an SLO search adds its next probe when one
 * finishes. run/perf.ts asks `next()` after every task and `finish()` at
 * the end (summary files, index.html and the lines/curves the presenters show).
 * The caller above run/ (cli/main.ts) plans the campaign and hands it to
 * runPerf: capacity/ sits below ui/ and run/ and imports neither (#19).
 */
import type { PerfOptions } from '../config/options.js';
import type { TaskConfig } from '../config/types.js';
import type { TaskResult } from '../metrics/types.js';
import type { RequestRecord } from '../engine/types.js';
import type { TaskPlan } from '../engine/task-runner.js';
import type { Controlled } from './adaptive.js';
import { AdaptiveController } from './adaptive.js';
import { objectiveLabel } from '../core/slo.js';
import { sloMet } from '../metrics/slo-rows.js';
import { pointRow, type PointRow } from './points.js';
import {
  pointTable,
  repeatGroups,
  repeatLines,
  writeRepeatFiles,
  writeSweepFiles,
  type RepeatGroup,
} from './summary.js';
import { expandTasks, taskAt, type LoadKind } from './sweep.js';
import { SEARCH_DEFAULTS, SloSearch, type SearchOutcome } from './search.js';
import { fmt } from './summary.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commonValueOf } from '../metrics/common.js';
import { RunLayout } from '../core/run-layout.js';
import { writeIndexHtml } from './index-html.js';

/** The parts of a CapacityReport, so its readers (ui/capacity) import the report's file only. */
export type { PointRow } from './points.js';
export type { AdaptiveEvent } from './adaptive.js';

export interface CapacityReport {
  kind?: LoadKind;
  points: PointRow[];
  repeats: RepeatGroup[];
  /** SLO objectives as given (`ttft:p99<=500`), for the plots' SLO lines. */
  objectives: string[];
  /** What plain output prints after the task tables. */
  lines: string[];
  /** Summary files, relative to the run folder. */
  files: string[];
  /** Extra sections (search answers, adaptive decisions) filled by their modules. */
  extra: Record<string, unknown>;
}

/**
 * What a campaign needs of a task while it runs (run/task-job.ts's TaskJob has
 * it): written out here so capacity/ need not import run/.
 */
export interface CampaignJob {
  readonly task: TaskConfig;
  readonly plan: TaskPlan;
  readonly runner: Controlled;
  readonly log: { info(message: string): void };
  readonly recordListeners: Array<(records: RequestRecord[]) => void>;
}

export interface Campaign {
  tasks: TaskConfig[];
  /** Tasks to add after `done` finished (result null when it failed). */
  next(done: TaskConfig, result: TaskResult | null): TaskConfig[];
  /** pass/fail mark of a finished task on the board. */
  verdict(done: TaskConfig, result: TaskResult): 'pass' | 'fail' | undefined;
  finish(
    runDir: string,
    done: ReadonlyArray<{ task: TaskConfig; result: TaskResult | null }>,
  ): CapacityReport | undefined;
  /** Called before a task runs (the adaptive controller takes hold of it). */
  attach?(job: CampaignJob): void;
}

/**
 * The campaign of a perf run: the tasks as resolved (no summary) or a sweep,
 * repeats, SLO search or adaptive run. A summary comes with index.html (its
 * plots and curves); an index that cannot be written is one line on stderr
 * and the summary is still shown.
 */
export function planCampaign(tasks: TaskConfig[], opts: PerfOptions): Campaign {
  const c = campaignOf(tasks, opts);
  return {
    ...c,
    finish(runDir, done) {
      const report = c.finish(runDir, done);
      try {
        if (report)
          report.files.push(writeIndexHtml(runDir, report, `aisbench-tui capacity: ${path.basename(runDir)}`));
      } catch (err) {
        process.stderr.write(`aisbench-tui: could not write the capacity summary: ${(err as Error).message}\n`);
      }
      return report;
    },
  };
}

/** The plain campaign: the tasks as resolved, no summary. */
function campaignOf(tasks: TaskConfig[], opts: PerfOptions): Campaign {
  const c = opts.capacity;
  const objectives = opts.slo?.objectives ?? [];
  const verdict = (_t: TaskConfig, r: TaskResult) => {
    const met = sloMet(r.common);
    return met === undefined ? undefined : met ? ('pass' as const) : ('fail' as const);
  };
  if (c?.search) return searchCampaign(tasks, opts, verdict);
  if (c?.adaptive) return adaptiveCampaign(tasks, opts, verdict);
  if (!c || (!c.sweep && c.numRuns <= 1)) return { tasks, next: () => [], verdict, finish: () => undefined };
  return {
    tasks: expandTasks(tasks, c.sweep, c.numRuns),
    next: () => [],
    verdict,
    finish(runDir, done) {
      const points = done.flatMap(({ task, result }) => (result ? [pointRow(task, result)] : []));
      const repeats = repeatGroups(points, c.cvThresholdPct);
      const files = writeSweepFiles(runDir, points, {
        kind: c.sweep?.kind ?? null,
        runs: c.numRuns,
        slo: objectives.map(objectiveLabel),
      });
      const lines = ['Capacity points (summary/sweep.csv):', ...pointTable(points).split('\n')];
      if (repeats.length) {
        files.push(...writeRepeatFiles(runDir, repeats, c.cvThresholdPct));
        lines.push('Repeated runs, mean ± 95% CI (summary/repeats.csv):', ...repeatLines(repeats, c.cvThresholdPct));
      }
      return {
        kind: c.sweep?.kind,
        points,
        repeats,
        objectives: objectives.map(objectiveLabel),
        lines,
        files,
        extra: {},
      };
    },
  };
}

/** One SLO search per model × dataset task; each probe is a task row added when the previous one ends. */
function searchCampaign(tasks: TaskConfig[], opts: PerfOptions, verdict: Campaign['verdict']): Campaign {
  const sc = opts.capacity!.search!;
  const min = sc.min ?? SEARCH_DEFAULTS[sc.kind].min;
  const max = sc.max ?? Math.max(SEARCH_DEFAULTS[sc.kind].max, min * 2);
  // Concurrency: one request; rate: a 32nd of the range.
  const resolution = sc.resolution ?? (sc.kind === 'concurrency' ? 1 : +((max - min) / 32).toPrecision(3));
  const objectives = (opts.slo?.objectives ?? []).map(objectiveLabel);
  const searches = new Map(
    tasks.map((t) => [t.key, { base: t, search: new SloSearch(sc.kind, min, max, resolution) }]),
  );
  const probe = (base: TaskConfig, value: number, url?: string): TaskConfig => {
    const t = taskAt(base, base.key, sc.kind, value);
    if (url) t.model.url = url;
    t.capacity = { ...t.capacity!, probe: true };
    return t;
  };
  return {
    tasks: tasks.map((t) => probe(t, searches.get(t.key)!.search.next()!)),
    next(done, result) {
      const s = searches.get(done.capacity?.base ?? '');
      if (!s || done.capacity?.value === undefined) return [];
      s.search.record(done.capacity.value, result ? verdict(done, result) === 'pass' : false, done.key);
      const v = s.search.next();
      // Later probes reuse the finished probe's server (the embedded simulator's URL is filled in at start).
      return v === null ? [] : [probe(s.base, v, done.model.url)];
    },
    verdict,
    finish(runDir, done) {
      const points = done.flatMap(({ task, result }) => (result ? [pointRow(task, result)] : []));
      const outcomes: Array<SearchOutcome & { task: string }> = [...searches].map(([key, s]) => ({
        task: key,
        ...s.search.outcome(),
      }));
      const files = writeSweepFiles(runDir, points, { kind: sc.kind, search: true, slo: objectives });
      mkdirSync(path.join(runDir, RunLayout.summary), { recursive: true });
      writeFileSync(
        path.join(runDir, RunLayout.summaryFile('search.json')),
        JSON.stringify({ slo: objectives, searches: outcomes }, null, 2) + '\n',
      );
      files.push(RunLayout.summaryFile('search.json'));
      const lines = ['SLO search probes (summary/sweep.csv):', ...pointTable(points).split('\n')];
      for (const o of outcomes) lines.push(searchLine(o, objectives, points));
      return { kind: sc.kind, points, repeats: [], objectives, lines, files, extra: { search: outcomes } };
    },
  };
}

/** `abbr/dataset: largest concurrency meeting ttft:p99<=500 is 9 (9 pass: TTFT p99 480 ms; 10 FAIL: 530 ms), 8 probes (budget 9)`. */
export function searchLine(o: SearchOutcome & { task: string }, objectives: string[], points: PointRow[]): string {
  const ev = (p: { value: number; pass: boolean; key?: string } | undefined) => {
    if (!p) return '';
    const row = points.find((x) => x.key === p.key);
    return `${p.value} ${p.pass ? 'pass' : 'FAIL'}${row ? `: TTFT p99 ${fmt(row.ttftP99)} ms, TPOT p99 ${fmt(row.tpotP99)} ms` : ''}`;
  };
  const evidence = [ev(o.pass), ev(o.fail)].filter(Boolean).join('; ');
  const answer = o.answer === null ? 'none in range' : String(o.answer);
  return `${o.task}: largest ${o.kind} meeting ${objectives.join(',')} is ${answer} (${evidence}); ${o.probes.length} probes (at most ${o.budget}), ${o.note}`;
}

/** --adaptive: each task is one pressure run whose cap an AdaptiveController moves. */
function adaptiveCampaign(tasks: TaskConfig[], opts: PerfOptions, verdict: Campaign['verdict']): Campaign {
  const ac = opts.capacity!.adaptive!;
  const min = ac.min ?? 1;
  const max = ac.max ?? 256;
  const holdMs = (opts.pressureTime ?? 30) * 1000;
  const objectives = opts.slo?.objectives ?? [];
  const controllers = new Map<string, AdaptiveController>();
  return {
    // Workers and connections are sized for the top of the range; the cap starts at min.
    tasks: tasks.map((t) => ({
      ...t,
      model: { ...t.model, batch_size: max },
      capacity: { base: t.key, kind: 'concurrency' as const },
    })),
    next: () => [],
    verdict,
    attach(job) {
      const ctl = new AdaptiveController(job.runner, { objectives, min, max, holdMs }, (m) => job.log.info(m));
      job.plan.initialConcurrency = min;
      // Long enough for the ramp (at most 120 s) and the hold; the controller ends the run after the hold.
      job.plan.pressureMs = holdMs + 180_000;
      job.recordListeners.push((r) => ctl.onRecords(r));
      controllers.set(job.task.key, ctl);
      ctl.start();
    },
    finish(runDir, done) {
      const objectiveLabels = objectives.map(objectiveLabel);
      const out = done.map(({ task, result }) => {
        const ctl = controllers.get(task.key);
        ctl?.stop();
        const dur = ((result && commonValueOf(result.common, 'benchmark_duration')) ?? 0) / 1000;
        return {
          task: task.key,
          ...(ctl ? ctl.outcome(dur) : { boundary: NaN, holdMean: NaN, holdStartS: null, events: [], capSeries: [] }),
        };
      });
      mkdirSync(path.join(runDir, RunLayout.summary), { recursive: true });
      writeFileSync(
        path.join(runDir, RunLayout.summaryFile('adaptive.json')),
        JSON.stringify({ slo: objectiveLabels, min, max, holdS: holdMs / 1000, tasks: out }, null, 2) + '\n',
      );
      const lines = out.map(
        (o) =>
          `${o.task}: adaptive concurrency settled at ${o.boundary} for ${objectiveLabels.join(',')} (mean cap ${fmt(o.holdMean)} over the hold from t=${o.holdStartS ?? '-'} s); ${o.events.length} decisions in summary/adaptive.json`,
      );
      const points = done.flatMap(({ task, result }) => (result ? [pointRow(task, result)] : []));
      return {
        kind: 'concurrency',
        points,
        repeats: [],
        objectives: objectiveLabels,
        lines,
        files: [RunLayout.summaryFile('adaptive.json')],
        extra: { adaptive: out },
      };
    },
  };
}
