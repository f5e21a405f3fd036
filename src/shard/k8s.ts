/**
 * `aisbench-tui k8s --shards N [--image IMG] [--pvc NAME] -- <run arguments>`:
 * prints a Kubernetes Indexed Job that runs the N shards of one run (pod i
 * runs `--shard JOB_COMPLETION_INDEX/N`: Kubernetes sets that variable in
 * every pod of an Indexed Job), all starting at one instant, writing their
 * run folders to a PersistentVolumeClaim; then, as comments, how to watch
 * it and the one-line merge to run afterwards.
 *
 * Resource requests are sized from each shard's concurrency: the engine runs
 * one worker thread per 128 streams, and the connections bench measured the
 * client's memory per stream (bench/connections.mjs, README).
 */
import { stringify } from 'yaml';
import { UsageError } from '../core/errors.js';
import type { PerfArgsParser } from '../config/options.js';
import { resolveTasks } from '../config/registry.js';
import { MAX_SHARDS, shardConcurrency } from '../run/shard-plan.js';

export interface K8sOptions {
  shards: number;
  image: string;
  pvc: string;
  name: string;
  namespace?: string;
  /** Seconds from now to the common start instant (pods must be running by then). */
  startInS: number;
  /** Secret holding the API key: NAME or NAME:KEY. */
  apiKeySecret?: string;
  /** The run's own arguments. */
  args: string[];
}

export const MOUNT = '/results';
export const DEFAULT_IMAGE = 'aisbench-tui:latest';
/** Flags the Job sets itself. */
const OWN_FLAGS = ['--shard', '--start-at', '--work-dir', '-w', '--processes', '--api-key', '--mode', '-m'];

/**
 * Client memory for `streams` concurrent streams, MiB: a base plus 64 KiB per
 * stream. bench/connections.mjs measured about 30 KB of RSS growth per stream
 * at 12,500 streams per process (peak 370-460 MB): 64 KiB leaves twice that.
 */
export function memoryMiB(streams: number): number {
  return Math.ceil(256 + (streams * 64) / 1024);
}

/** CPU cores for `streams` concurrent streams: one worker thread per 128 streams, at most 4, plus the main thread's share. */
export function cpuCores(streams: number): number {
  return Math.min(4, Math.ceil(streams / 128)) + 0.5;
}

export function parseK8sArgs(argv: readonly string[]): K8sOptions {
  const dd = argv.indexOf('--');
  const own = dd >= 0 ? argv.slice(0, dd) : [...argv];
  const args = dd >= 0 ? argv.slice(dd + 1) : [];
  const o: K8sOptions = { shards: 0, image: DEFAULT_IMAGE, pvc: 'aisbench-results', name: '', startInS: 120, args };
  for (let i = 0; i < own.length; i++) {
    const k = own[i]!;
    const v = own[i + 1];
    if (v === undefined) throw new UsageError(`k8s: ${k} needs a value`);
    i++;
    if (k === '--shards') o.shards = Number(v);
    else if (k === '--image') o.image = v;
    else if (k === '--pvc') o.pvc = v;
    else if (k === '--name') o.name = v;
    else if (k === '--namespace') o.namespace = v;
    else if (k === '--start-in') o.startInS = Number(v);
    else if (k === '--api-key-secret') o.apiKeySecret = v;
    else
      throw new UsageError(
        `k8s: unknown option ${k} (usage: aisbench-tui k8s --shards N [--image IMG] [--pvc NAME] [--start-in S] -- <run arguments>)`,
      );
  }
  if (!(Number.isInteger(o.shards) && o.shards >= 1 && o.shards <= MAX_SHARDS))
    throw new UsageError(`k8s: --shards must be an integer in 1..${MAX_SHARDS}`);
  if (!(o.startInS >= 0)) throw new UsageError('k8s: --start-in must be seconds >= 0');
  if (o.name && !/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(o.name))
    throw new UsageError('k8s: --name must be a DNS label (a-z, 0-9, -), at most 42 characters');
  if (args.length === 0)
    throw new UsageError(
      'k8s: give the run arguments after --, e.g. -- --models vllm_api_stream_chat --datasets synthetic_gen --url http://vllm:8000',
    );
  const clash = args.find((a) => OWN_FLAGS.includes(a.split('=', 1)[0] ?? a));
  if (clash)
    throw new UsageError(
      `k8s: ${clash} is set by the Job itself${clash === '--api-key' ? ' (a key in a manifest is a leaked key: use --api-key-secret NAME[:KEY])' : ''}`,
    );
  return o;
}

/** The Job manifest (a plain object) and the run id it writes under. */
export async function buildJob(
  o: K8sOptions,
  parsePerf: PerfArgsParser,
  now = new Date(),
): Promise<{ job: Record<string, unknown>; runId: string; startAt: string }> {
  const opts = parsePerf(o.args);
  if (!opts) throw new UsageError('k8s: the arguments after -- must be a perf run');
  const tasks = await resolveTasks(opts); // validates the arguments here, not in N pods
  const cap = Math.max(...tasks.map((t) => t.model.batch_size));
  const streams = shardConcurrency(cap, { index: 0, count: o.shards });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15).toLowerCase();
  const runId = `${o.name || 'aisbench'}-${stamp}`;
  const startAt = new Date(now.getTime() + o.startInS * 1000).toISOString();
  const [secretName, secretKey] = (o.apiKeySecret ?? '').split(':');
  const labels = { app: 'aisbench-tui', 'aisbench-tui/run': runId };
  const mem = `${memoryMiB(streams)}Mi`;
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: runId, labels, ...(o.namespace ? { namespace: o.namespace } : {}) },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.shards,
      // A restarted shard would start late and write a second folder for its index: fail instead.
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // The image runs as user node (1000): the volume must be writable for it.
          securityContext: { fsGroup: 1000 },
          containers: [
            {
              name: 'shard',
              image: o.image,
              args: [
                '--shard',
                `JOB_COMPLETION_INDEX/${o.shards}`,
                '--start-at',
                startAt,
                '--work-dir',
                `${MOUNT}/${runId}`,
                '--no-tui',
                ...o.args,
              ],
              ...(secretName
                ? {
                    env: [
                      {
                        name: 'AISBENCH_TUI_API_KEY',
                        valueFrom: { secretKeyRef: { name: secretName, key: secretKey || 'api-key' } },
                      },
                    ],
                  }
                : {}),
              resources: { requests: { cpu: String(cpuCores(streams)), memory: mem }, limits: { memory: mem } },
              volumeMounts: [{ name: 'results', mountPath: MOUNT }],
            },
          ],
          volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.pvc } }],
        },
      },
    },
  };
  return { job, runId, startAt };
}

/** The one-line merge: a throw-away pod with the PVC mounted runs `merge` over the run's shard folders. */
export function mergeCommand(o: K8sOptions, runId: string): string {
  const overrides = {
    spec: {
      containers: [
        {
          name: 'merge',
          image: o.image,
          args: ['merge', `${MOUNT}/${runId}`, '--no-tui'],
          volumeMounts: [{ name: 'results', mountPath: MOUNT }],
        },
      ],
      volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.pvc } }],
    },
  };
  const ns = o.namespace ? ` -n ${o.namespace}` : '';
  return `kubectl run ${runId}-merge${ns} --rm -i --restart=Never --image=${o.image} --overrides='${JSON.stringify(overrides)}'`;
}

export async function runK8sCommand(
  argv: readonly string[],
  parsePerf: PerfArgsParser,
  write = (s: string) => process.stdout.write(s),
): Promise<number> {
  const o = parseK8sArgs(argv);
  const { job, runId, startAt } = await buildJob(o, parsePerf);
  const ns = o.namespace ? ` -n ${o.namespace}` : '';
  write(stringify(job, { lineWidth: 0 }));
  write(
    [
      `# ${o.shards} shards start together at ${startAt}: apply before then (a late shard starts at once, and merge reports its lag).`,
      `# apply:  aisbench-tui k8s ... | kubectl apply${ns} -f -`,
      `# watch:  kubectl get pods${ns} -l aisbench-tui/run=${runId} -w ; kubectl logs${ns} -f -l aisbench-tui/run=${runId} --prefix`,
      `# wait:   kubectl wait${ns} --for=condition=complete job/${runId} --timeout=24h`,
      `# merge:  ${mergeCommand(o, runId)}`,
      `# result: ${MOUNT}/${runId}/merged on PVC ${o.pvc} (aisbench-tui --mode perf_viz --reuse -w ${MOUNT}/${runId} recomputes it)`,
      '',
    ].join('\n'),
  );
  return 0;
}
