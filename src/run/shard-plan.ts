/**
 * Shards: one plan split across N processes or machines.
 *
 * Shard I of N takes every N-th unit of the plan (unit i goes to shard i mod N),
 * so the union of the shards is the whole dataset, each request once, and
 * every request keeps its global id. The arrival schedule is computed for the
 * whole plan and each shard keeps the send times of its own units, so the
 * union of the shards' sends is the single run's schedule (same distribution,
 * same rate); each shard's rate is about 1/N of it. The concurrency is split
 * so the shards' caps add up to the whole cap.
 *
 * The plan hash names what every shard must agree on (task, request bodies,
 * dataset, full schedule, full cap, shard count); merge refuses shards whose
 * hashes differ. Headers are left out: they may hold an API key.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import type { TaskPlan } from '../engine/task-runner.js';

export interface ShardSpec {
  /** 0-based shard index. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** Upper bound of --shard N (and k8s --shards): each shard is at least one process. */
export const MAX_SHARDS = 10_000;

/**
 * `I/N`, 0 ≤ I < N. I may also be the name of an environment variable that
 * holds the index (`JOB_COMPLETION_INDEX/4` in a Kubernetes Indexed Job).
 */
export function parseShard(raw: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new UsageError(`--shard must be I/N, e.g. 0/3 (got ${JSON.stringify(raw)})`);
  const count = Number(m[2]);
  let idx = m[1]!;
  if (!/^\d+$/.test(idx)) {
    const v = env[idx];
    if (v === undefined || !/^\s*\d+\s*$/.test(v)) {
      throw new UsageError(
        `--shard ${raw}: environment variable ${idx} ${v === undefined ? 'is not set' : `is not an index (${JSON.stringify(v)})`}`,
      );
    }
    idx = v.trim();
  }
  const index = Number(idx);
  if (!(count >= 1 && count <= MAX_SHARDS))
    throw new UsageError(`--shard: N must be in 1..${MAX_SHARDS} (got ${m[2]})`);
  if (index >= count) throw new UsageError(`--shard: index ${index} is not below the shard count ${count}`);
  return { index, count };
}

/**
 * `--start-at`: an ISO 8601 instant (with a zone, or UTC when none) or `+S`
 * seconds from now. Returns epoch ms.
 */
export function parseStartAt(raw: string, now = Date.now()): number {
  const s = raw.trim();
  const rel = /^\+(\d+(?:\.\d+)?)$/.exec(s);
  if (rel) return now + Number(rel[1]) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : s + 'Z');
    if (Number.isFinite(t)) return t;
  }
  throw new UsageError(
    `--start-at must be an ISO 8601 instant (2026-01-31T12:00:00Z) or +SECONDS (got ${JSON.stringify(raw)})`,
  );
}

/** This shard's part of a cap of `total`: the parts add up to total; each is at least 1. */
export function shardConcurrency(total: number, s: ShardSpec): number {
  return Math.max(1, Math.floor(total / s.count) + (s.index < total % s.count ? 1 : 0));
}

/** Hash of what every shard of one run must share (hex sha256, 16 characters). */
export function planHash(plan: TaskPlan, s: ShardSpec): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      key: plan.key,
      api: plan.api,
      path: plan.path,
      baseBody: plan.baseBody,
      cap: plan.maxConcurrency,
    }),
  );
  h.update(JSON.stringify({ shards: s.count, pressureMs: plan.pressureMs ?? null, retry: plan.retry }));
  for (const u of plan.units) h.update(JSON.stringify(u));
  if (plan.schedule) h.update(new Uint8Array(plan.schedule.buffer, plan.schedule.byteOffset, plan.schedule.byteLength));
  return h.digest('hex').slice(0, 16);
}

/** The plan of shard s (every N-th unit, its send times, its part of the cap) and the whole plan's hash. */
export function shardPlan(plan: TaskPlan, s: ShardSpec): { plan: TaskPlan; hash: string } {
  const hash = planHash(plan, s);
  const pick: number[] = [];
  for (let i = s.index; i < plan.units.length; i += s.count) pick.push(i);
  const units = pick.map((i) => plan.units[i]!);
  const schedule = plan.schedule ? Float64Array.from(pick, (i) => plan.schedule![i]!) : null;
  return {
    plan: {
      ...plan,
      units,
      schedule,
      maxConcurrency: shardConcurrency(plan.maxConcurrency, s),
      idOffset: s.index,
      idStride: s.count,
    },
    hash,
  };
}
