/**
 * A capacity run as a list of tasks that may grow while it runs: sweeps and
 * repeats are fixed up front; an SLO search adds its next probe when one
 * finishes. run/perf.ts asks `next()` after every task and `finish()` at
 * the end (summary files and the lines/curves the presenters show).
 */
import type { PerfOptions } from '../cli/options.js';
import type { TaskConfig } from '../config/types.js';
import type { TaskResult } from '../metrics/types.js';
import { objectiveLabel, sloMet } from './slo.js';
import { pointRow, type PointRow } from './points.js';
import { pointTable, repeatGroups, repeatLines, writeRepeatFiles, writeSweepFiles, type RepeatGroup } from './summary.js';
import { expandTasks, type LoadKind } from './sweep.js';

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

export interface Campaign {
  tasks: TaskConfig[];
  /** Tasks to add after `done` finished (result null when it failed). */
  next(done: TaskConfig, result: TaskResult | null): TaskConfig[];
  /** pass/fail mark of a finished task on the board. */
  verdict(done: TaskConfig, result: TaskResult): 'pass' | 'fail' | undefined;
  finish(runDir: string, done: ReadonlyArray<{ task: TaskConfig; result: TaskResult | null }>): CapacityReport | undefined;
}

/** The plain campaign: the tasks as resolved, no summary. */
export function planCampaign(tasks: TaskConfig[], opts: PerfOptions): Campaign {
  const c = opts.capacity;
  const objectives = opts.slo?.objectives ?? [];
  const verdict = (_t: TaskConfig, r: TaskResult) => {
    const met = sloMet(r.common);
    return met === undefined ? undefined : met ? ('pass' as const) : ('fail' as const);
  };
  if (!c || (!c.sweep && c.numRuns <= 1)) return { tasks, next: () => [], verdict, finish: () => undefined };
  return {
    tasks: expandTasks(tasks, c.sweep, c.numRuns),
    next: () => [],
    verdict,
    finish(runDir, done) {
      const points = done.flatMap(({ task, result }) => (result ? [pointRow(task, result)] : []));
      const repeats = repeatGroups(points, c.cvThresholdPct);
      const files = writeSweepFiles(runDir, points, { kind: c.sweep?.kind ?? null, runs: c.numRuns, slo: objectives.map(objectiveLabel) });
      const lines = ['Capacity points (summary/sweep.csv):', ...pointTable(points).split('\n')];
      if (repeats.length) {
        files.push(...writeRepeatFiles(runDir, repeats, c.cvThresholdPct));
        lines.push('Repeated runs, mean ± 95% CI (summary/repeats.csv):', ...repeatLines(repeats, c.cvThresholdPct));
      }
      return { kind: c.sweep?.kind, points, repeats, objectives: objectives.map(objectiveLabel), lines, files, extra: {} };
    },
  };
}
