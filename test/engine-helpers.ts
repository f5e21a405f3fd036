/** Shared by the engine tests: a chat plan against a simulator, and a run that collects records and results. */
import { TaskRunner, type TaskPlan } from '../src/engine/task-runner.js';
import type { RequestRecord } from '../src/engine/types.js';
import { TaskAccumulator } from '../src/metrics/accumulator.js';

/** n chat requests of `maxOutLen` tokens (ignore_eos) to the simulator at `origin`; `content(id)` is each prompt. */
export function chatPlan(
  origin: string,
  n: number,
  maxOutLen: number,
  content: (id: number) => string,
  over: Partial<TaskPlan> = {},
): TaskPlan {
  return {
    key: 'sim/test',
    abbr: 'sim',
    dataset: 'test',
    origin: new URL(origin).origin,
    path: '/v1/chat/completions',
    api: 'chat',
    headers: { 'content-type': 'application/json' },
    baseBody: { model: 'sim-model', stream: true, stream_options: { include_usage: true }, ignore_eos: true },
    units: Array.from({ length: n }, (_, id) => [
      { id, messages: [{ role: 'user' as const, content: content(id) }], maxOutLen },
    ]),
    schedule: null,
    maxConcurrency: 8,
    retry: 0,
    timeoutMs: 10_000,
    firstByteTimeoutMs: 0,
    warmups: 0,
    workers: 1,
    logPath: 'x.log',
    ...over,
  };
}

/** A runner for a plan whose finished records are kept and also go through an accumulator (not started yet). */
export function collectingRunner(p: TaskPlan) {
  const records: RequestRecord[] = [];
  const acc = new TaskAccumulator({ maxConcurrency: p.maxConcurrency });
  const runner = new TaskRunner(p, {
    onRecords: (rs) => {
      for (const r of rs) {
        records.push(r);
        acc.add(r);
      }
    },
    log: () => undefined,
  });
  return { runner, records, acc };
}

/** Run a plan through the real engine; every record also goes through the accumulator. */
export async function runPlan(p: TaskPlan, stats: string[] = ['Average']) {
  const { runner, records, acc } = collectingRunner(p);
  await runner.run();
  const result = acc.finalize({
    key: p.key,
    abbr: p.abbr,
    dataset: p.dataset,
    model: 'sim-model',
    stats,
    interrupted: false,
  });
  return { records, result, counts: runner.counts, runStart: runner.runStart };
}
