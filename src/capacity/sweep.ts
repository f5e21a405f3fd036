/**
 * `--sweep concurrency=1,4,16,64`, `--sweep rate=2,4,8,16` or the geometric
 * form `--sweep concurrency=1:64:x4` (start:stop:xfactor → 1,4,16,64), and
 * `--num-runs N`: every model × dataset task becomes one task per point and
 * run. Each gets its own row (`abbr/dataset @c=16`, `... #2`) and its own
 * files (`performances/<abbr>/<dataset>_c16[_run2].*`).
 */
import { UsageError } from '../core/errors.js';
import type { TaskConfig } from '../config/types.js';

import type { CapacityTag, LoadKind, SweepSpec } from '../core/task.js';
export type { CapacityTag, LoadKind, SweepSpec };

const num = (s: string): number => (/^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : NaN);

export function parseSweep(s: string): SweepSpec {
  const usage = "'concurrency=1,4,16,64', 'rate=2,4,8' or 'concurrency=1:64:x2' (start:stop:xfactor)";
  const [, kindRaw, listRaw] = /^\s*(concurrency|rate)\s*=(.*)$/i.exec(s) ?? [];
  if (kindRaw === undefined || listRaw === undefined)
    throw new UsageError(`--sweep must be ${usage} (got ${JSON.stringify(s)})`);
  const kind = kindRaw.toLowerCase() as LoadKind;
  const body = listRaw.trim();
  if (body === '') throw new UsageError(`--sweep ${kind}: the list is empty (e.g. ${usage})`);
  let points: number[];
  const [, start, stop, factor] = /^([^:]+):([^:]+):x?([^:]+)$/.exec(body) ?? [];
  if (start !== undefined && stop !== undefined && factor !== undefined) {
    const [a, b, f] = [num(start), num(stop), num(factor)];
    if (!(a > 0) || !(b > 0))
      throw new UsageError(`--sweep ${kind}: start and stop must be > 0 (got ${JSON.stringify(body)})`);
    if (!(f > 1)) throw new UsageError(`--sweep ${kind}: the factor must be > 1 (got ${JSON.stringify(body)})`);
    if (a > b) throw new UsageError(`--sweep ${kind}: start ${a} is above stop ${b}`);
    points = [];
    // Multiply until past stop; a tiny tolerance keeps 0.1×10 = 1 from missing stop by rounding.
    for (let v = a; v <= b * (1 + 1e-9) && points.length < 1000; v *= f)
      points.push(kind === 'concurrency' ? Math.round(v) : +v.toPrecision(12));
  } else {
    const parts = body.split(',').map((p) => p.trim());
    if (parts.some((p) => p === '')) throw new UsageError(`--sweep ${kind}: empty entry in ${JSON.stringify(body)}`);
    points = parts.map((p) => {
      const v = num(p);
      if (!(v > 0))
        throw new UsageError(`--sweep ${kind}: every point must be a number > 0 (got ${JSON.stringify(p)})`);
      return v;
    });
  }
  if (kind === 'concurrency' && points.some((v) => !Number.isInteger(v))) {
    throw new UsageError(`--sweep concurrency: points must be whole numbers (got ${JSON.stringify(body)})`);
  }
  if (points.length > 64) throw new UsageError(`--sweep ${kind}: at most 64 points (got ${points.length})`);
  return { kind, points: [...new Set(points)].sort((x, y) => x - y) };
}

/** `@c=16` / `@r=2.5` */
export function pointLabel(kind: LoadKind, v: number): string {
  return `@${kind === 'concurrency' ? 'c' : 'r'}=${v}`;
}

/** A copy of `t` at one load point (and run), with its own key and file names. */
export function taskAt(
  t: TaskConfig,
  base: string,
  kind: LoadKind | undefined,
  value: number | undefined,
  run?: number,
): TaskConfig {
  const model = { ...t.model };
  let key = base;
  let abbr = t.dataset.abbr;
  if (kind && value !== undefined) {
    if (kind === 'concurrency') model.batch_size = value;
    else model.request_rate = value;
    key += ` ${pointLabel(kind, value)}`;
    abbr += `_${kind === 'concurrency' ? 'c' : 'r'}${value}`;
  }
  if (run !== undefined) {
    key += ` #${run}`;
    abbr += `_run${run}`;
  }
  return { key, model, dataset: { ...t.dataset, abbr }, capacity: { base, kind, value, run } };
}

/** Every task × every sweep point × every run. */
export function expandTasks(tasks: TaskConfig[], sweep: SweepSpec | undefined, runs: number): TaskConfig[] {
  if (!sweep && runs <= 1) return tasks;
  const out: TaskConfig[] = [];
  for (const t of tasks) {
    for (const v of sweep ? sweep.points : [undefined]) {
      for (let r = 1; r <= runs; r++) out.push(taskAt(t, t.key, sweep?.kind, v, runs > 1 ? r : undefined));
    }
  }
  return out;
}
