/**
 * Which task a value belongs to: one model config × one dataset config. The
 * engine, the accumulator, the results, the task log and the shard manifest
 * all carry the same three (four with the served model) fields.
 */

/** A task's names as the run folder spells them (`performances/<abbr>/<dataset>.*`). */
export interface TaskKey {
  /** `abbr/dataset` (taskKey), plus ` @c=16` / ` #2` for a capacity point or run. */
  key: string;
  /** The model config's abbr. */
  abbr: string;
  /** The dataset config's abbr. */
  dataset: string;
}

/** A task's names and the model name sent in its requests. */
export interface TaskIdentity extends TaskKey {
  /** Served model name used in requests. */
  model: string;
}

/** `abbr/dataset`: the key of a plain model × dataset task. */
export function taskKey(abbr: string, dataset: string): string {
  return `${abbr}/${dataset}`;
}

export type LoadKind = 'concurrency' | 'rate';

/** `--sweep`: the load points of a capacity sweep (parsed by capacity/sweep.ts). */
export interface SweepSpec {
  kind: LoadKind;
  /** Ascending, distinct: concurrency (integers ≥ 1) or req/s (> 0). */
  points: number[];
}

/** What a task of a capacity run stands for (capacity/sweep.ts makes them). */
export interface CapacityTag {
  /** The model × dataset task it comes from (`abbr/dataset`). */
  base: string;
  kind?: LoadKind;
  /** Concurrency or req/s of this point. */
  value?: number;
  /** 1-based run number with --num-runs. */
  run?: number;
  /** A probe of --slo-search (pass/fail decided by the SLO). */
  probe?: boolean;
}
