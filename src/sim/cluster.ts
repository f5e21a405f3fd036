/**
 * `aisbench-tui sim --processes K`: K simulator processes sharing one port,
 * through Node's cluster module (on Linux the primary accepts connections
 * and hands them to the workers round-robin; Node 20 has no SO_REUSEPORT
 * option for net servers, `reusePort` came in Node 22.12/23.1). Each worker
 * has its own event loop and its own open-file limit, so one simulator
 * address holds more streams than one process could.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { untilStopped } from './until-stopped.js';

export const MAX_SIM_PROCESSES = 64;

/** Takes `--processes K` out of the sim arguments. */
export function takeProcesses(args: readonly string[]): { processes: number; rest: string[] } {
  const rest: string[] = [];
  let processes = 1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--processes' || a.startsWith('--processes=')) {
      const raw = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      processes = Number(raw);
      if (!(Number.isInteger(processes) && processes >= 1 && processes <= MAX_SIM_PROCESSES)) {
        throw new UsageError(`sim: --processes must be an integer in 1..${MAX_SIM_PROCESSES} (got "${raw ?? ''}")`);
      }
    } else rest.push(a);
  }
  return { processes, rest };
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Worker side: report the request count to the primary before exiting. */
export function reportToPrimary(requests: number): Promise<void> {
  return new Promise((r) =>
    process.send ? process.send({ type: 'sim-stopped', requests }, () => (process.disconnect?.(), r())) : r(),
  );
}

/** Primary: start K workers with the same arguments, print one line when all listen, stop them all on a signal. */
export async function runSimCluster(
  args: string[],
  k: number,
  write: (line: string) => void,
  describe: string,
  signal?: AbortSignal,
): Promise<number> {
  cluster.setupPrimary({
    exec: fileURLToPath(new URL('../../bin/aisbench-tui.mjs', import.meta.url)),
    args: ['sim', ...args],
    silent: false,
  });
  const workers: Worker[] = [];
  let requests = 0;
  let failed: string | null = null;
  const listening = new Promise<string>((resolve, reject) => {
    let n = 0;
    cluster.on('listening', (_w, addr) => {
      if (++n === k) resolve(`http://${addr.addressType === 6 ? `[${addr.address}]` : addr.address}:${addr.port}`);
    });
    cluster.on('exit', (w, code) => {
      if (n < k) reject(new Error(`simulator process ${w.id} exited with ${code} before listening`));
    });
  });
  for (let i = 0; i < k; i++) {
    const w = cluster.fork();
    w.on('message', (m: { type?: string; requests?: number }) => {
      if (m?.type === 'sim-stopped') requests += m.requests ?? 0;
    });
    workers.push(w);
  }
  let url: string;
  try {
    url = await listening;
  } catch (err) {
    failed = (err as Error).message;
    for (const w of workers) w.process.kill('SIGTERM');
    throw new UsageError(`sim: ${failed}`);
  }
  write(`simulator listening on ${url} (${k} processes, ${describe})\n`);
  await untilStopped(signal);
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((r) => {
          if (w.isDead()) return r();
          w.once('exit', () => r());
          w.process.kill('SIGTERM');
        }),
    ),
  );
  write(`simulator stopped after ${requests} requests\n`);
  return 0;
}
