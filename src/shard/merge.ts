/**
 * Merge shard run folders into one run folder: check the shards belong to
 * one plan (same count, every index once, same plan hash per task), write
 * each task's union of details on one time axis, then recompute everything
 * (tables, CSV/JSON, HTML) from it exactly as `--mode perf_viz` does for a
 * single run, plus a per-shard breakdown.
 *
 * Time axis: each shard's details are relative to its own t = 0. With
 * --start-at, t = 0 of the merged run is the start instant and a shard's
 * times move by its start lag; without it, t = 0 is the earliest shard
 * start (by the shards' wall clocks).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { readDetails } from '../output/details-reader.js';
import { encodeRecord } from '../engine/details-codec.js';
import { SHARD_FILE, readShardManifest, type ShardManifest } from '../run/shard-manifest.js';
import { RunLayout } from '../core/run-layout.js';

export interface ShardFolder {
  dir: string;
  manifest: ShardManifest;
}

/** DIRs given to merge: shard folders, or folders holding shard folders (one level down). */
export function expandShardDirs(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`merge: ${d} is not a folder`);
    if (existsSync(path.join(d, SHARD_FILE))) {
      out.push(d);
      continue;
    }
    const kids = readdirSync(d)
      .sort()
      .map((n) => path.join(d, n))
      .filter((k) => existsSync(path.join(k, SHARD_FILE)));
    if (kids.length === 0) throw new UsageError(`merge: ${d} is not a shard folder and holds none (no ${SHARD_FILE})`);
    out.push(...kids);
  }
  return out;
}

/** Read and check the shards; any mismatch is one UsageError line (exit 2). */
export function checkShards(dirs: readonly string[]): ShardFolder[] {
  const shards: ShardFolder[] = [];
  for (const dir of dirs) {
    const m = readShardManifest(dir);
    if (m instanceof Error) throw new UsageError(`merge: ${m.message}`, 'E_SHARDS');
    shards.push({ dir, manifest: m });
  }
  const n = shards[0]!.manifest.count;
  const other = shards.find((s) => s.manifest.count !== n);
  if (other)
    throw new UsageError(
      `merge: shards of different runs: ${shards[0]!.dir} is one of ${n}, ${other.dir} one of ${other.manifest.count}`,
      'E_SHARDS',
    );
  const byIndex = new Map<number, ShardFolder>();
  for (const s of shards) {
    const dup = byIndex.get(s.manifest.index);
    if (dup)
      throw new UsageError(
        `merge: shard ${s.manifest.index} of ${n} appears twice (${dup.dir} and ${s.dir})`,
        'E_SHARDS',
      );
    byIndex.set(s.manifest.index, s);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new UsageError(
      `merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${n}`,
      'E_SHARDS',
    );
  const sorted = [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!);
  const ref = sorted[0]!;
  const keys = (s: ShardFolder): string => s.manifest.tasks.map((t) => t.key).join(', ');
  for (const s of sorted.slice(1)) {
    if (keys(s) !== keys(ref))
      throw new UsageError(
        `merge: shards ran different tasks: ${keys(ref)} in ${ref.dir}, ${keys(s)} in ${s.dir}`,
        'E_SHARDS',
      );
    s.manifest.tasks.forEach((t, i) => {
      const r = ref.manifest.tasks[i]!;
      if (t.planHash !== r.planHash) {
        throw new UsageError(
          `merge: shards of different plans: task ${t.key} has plan ${r.planHash} in ${ref.dir} and ${t.planHash} in ${s.dir}`,
          'E_SHARDS',
        );
      }
    });
  }
  return sorted;
}

/** Per shard and task: ms to add to the shard's times to put them on the merged time axis. */
export function shardShiftMs(shards: readonly ShardFolder[], taskIndex: number): number[] {
  const starts = shards.map((s) => s.manifest.tasks[taskIndex]!.runStartWallMs);
  const at = shards[0]!.manifest.tasks[taskIndex]!.startAt ?? shards[0]!.manifest.startAt;
  const ref = at !== null ? Date.parse(at) : Math.min(...starts.filter((x) => x > 0));
  return starts.map((w) => (w > 0 && Number.isFinite(ref) ? Math.round((w - ref) * 1000) / 1000 : 0));
}

const CHUNK_BYTES = 1 << 20;

/** Append one shard's details to fd, times shifted by shiftMs; returns the records written. */
export async function appendShifted(fd: number, details: string, shiftMs: number): Promise<number> {
  if (shiftMs === 0) {
    const text = readFileSync(details);
    if (text.length) writeSync(fd, text.at(-1) === 0x0a ? text : Buffer.concat([text, Buffer.from('\n')]));
    return 0;
  }
  let buf = '';
  const res = await readDetails(details, (r) => {
    if (r.sched >= 0) r.sched += shiftMs;
    r.t0 += shiftMs;
    r.end += shiftMs;
    buf += encodeRecord(r) + '\n';
    if (buf.length >= CHUNK_BYTES) {
      writeSync(fd, buf);
      buf = '';
    }
  });
  if (buf) writeSync(fd, buf);
  return res.records;
}

export interface MergedTaskFiles {
  abbr: string;
  dataset: string;
  details: string;
  meta: Record<string, unknown>;
}

/** Write the merged folder's skeleton and each task's union of details; returns what to recompute. */
export async function writeMergedFolder(out: string, shards: readonly ShardFolder[]): Promise<MergedTaskFiles[]> {
  for (const sub of RunLayout.perfSubdirs()) mkdirSync(path.join(out, sub), { recursive: true });
  const cfgDir = path.join(shards[0]!.dir, RunLayout.configs);
  for (const f of existsSync(cfgDir) ? readdirSync(cfgDir) : [])
    copyFileSync(path.join(cfgDir, f), path.join(out, RunLayout.configs, `shard0_${f}`));
  const tasks: MergedTaskFiles[] = [];
  for (let ti = 0; ti < shards[0]!.manifest.tasks.length; ti++) {
    const t = shards[0]!.manifest.tasks[ti]!;
    const rel = RunLayout.taskDir(t.abbr);
    mkdirSync(path.join(out, rel), { recursive: true });
    mkdirSync(path.dirname(path.join(out, RunLayout.taskLog(t.abbr, t.dataset))), { recursive: true });
    const details = path.join(out, RunLayout.taskFile(t.abbr, t.dataset, 'details'));
    const shifts = shardShiftMs(shards, ti);
    const fd = openSync(details, 'w');
    try {
      for (let si = 0; si < shards.length; si++) {
        const src = path.join(shards[si]!.dir, RunLayout.taskFile(t.abbr, t.dataset, 'details'));
        if (!existsSync(src)) throw new UsageError(`merge: ${src} is missing`, 'E_SHARDS');
        await appendShifted(fd, src, shifts[si]!);
        const log = path.join(shards[si]!.dir, RunLayout.taskLog(t.abbr, t.dataset));
        if (existsSync(log))
          copyFileSync(log, path.join(out, RunLayout.taskLog(t.abbr, t.dataset, 'performance', `.shard${si}.out`)));
      }
    } finally {
      closeSync(fd);
    }
    let meta: Record<string, unknown> = {};
    try {
      meta = JSON.parse(readFileSync(path.join(shards[0]!.dir, RunLayout.taskFile(t.abbr, t.dataset, 'meta')), 'utf8'));
    } catch {
      /* defaults below */
    }
    // The merged run's cap is the whole plan's: the shards' parts add up to it.
    const cap = shards.reduce((a, s) => a + s.manifest.tasks[ti]!.maxConcurrency, 0);
    const rate = typeof meta.requestRate === 'number' ? meta.requestRate * shards.length : meta.requestRate;
    meta = { ...meta, maxConcurrency: cap, requestRate: rate, shard: undefined, merged: { shards: shards.length } };
    writeFileSync(path.join(out, RunLayout.taskFile(t.abbr, t.dataset, 'meta')), JSON.stringify(meta, null, 2) + '\n');
    tasks.push({ abbr: t.abbr, dataset: t.dataset, details, meta });
  }
  return tasks;
}
