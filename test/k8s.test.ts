/**
 * `aisbench-tui k8s`: the Indexed Job for --shards 4 passes the Kubernetes
 * schema of batch/v1 Job (kubernetes-models' validator, generated from the
 * Kubernetes OpenAPI spec); then its four pods are played locally: four
 * processes with the container's arguments and only JOB_COMPLETION_INDEX in
 * their environment, then the printed merge pod's arguments.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimServer } from '../src/sim/index.js';
import { bin, cli, commonRaw, detailsLines, type CliOut } from './shard-cli.js';

const TASK = path.join('performances', 'vllm-api-stream-chat');
let tmp: string;
let sim: SimServer;
let gen: CliOut;
let job: {
  spec: {
    completions: number;
    parallelism: number;
    completionMode: string;
    template: {
      spec: {
        containers: Array<{ args: string[]; resources: { requests: Record<string, string> } }>;
        volumes: Array<{ persistentVolumeClaim: { claimName: string } }>;
      };
    };
  };
  metadata: { name: string };
};

/** A pod's view: the container's args with the volume mounted at tmp, and only JOB_COMPLETION_INDEX set. */
function pod(args: string[], index?: number): Promise<CliOut> {
  const local = args.map((a) => a.replace(/^\/results\//, `${tmp}/`));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...local],
      {
        env: index === undefined ? {} : { JOB_COMPLETION_INDEX: String(index) },
        timeout: 120_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'aisb-k8s-'));
  sim = await startSimulator({ port: 0, ttftMs: 5, itlMs: 1 });
  gen = await cli([
    'k8s',
    '--shards',
    '4',
    '--image',
    'registry.example/aisbench-tui:0.1',
    '--pvc',
    'bench-results',
    '--start-in',
    '10',
    '--',
    '--models',
    'vllm_api_stream_chat',
    '--datasets',
    'synthetic_gen',
    '--url',
    sim.url,
    '--num-prompts',
    '40',
    '--max-concurrency',
    '8',
    '--max-out-len',
    '8',
  ]);
  job = parse(gen.stdout);
}, 60_000);
afterAll(async () => {
  await sim?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('k8s --shards 4', () => {
  it('prints an Indexed Job that passes the batch/v1 Job schema', () => {
    expect(gen.code, gen.stderr).toBe(0);
    expect(() => new Job(job as never).validate()).not.toThrow();
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const c = job.spec.template.spec.containers[0]!;
    expect(c.args.slice(0, 2)).toEqual(['--shard', 'JOB_COMPLETION_INDEX/4']);
    expect(c.args[c.args.indexOf('--start-at') + 1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(job.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName).toBe('bench-results');
    // 8 streams over 4 shards = 2 each: 256 MiB + 2 x 64 KiB, rounded up = 257 MiB; 1 worker thread + 0.5 core.
    expect(c.resources.requests).toEqual({ cpu: '1.5', memory: '257Mi' });
    expect(gen.stdout).toMatch(/^# merge: {2}kubectl run \S+-merge --rm -i --restart=Never/m);
  });

  it('the validator is real: a Job without completions type or container name fails', () => {
    const bad = structuredClone(job) as unknown as { spec: { completions: unknown } };
    bad.spec.completions = 'four';
    expect(() => new Job(bad as never).validate()).toThrow(/completions must be integer/);
  });

  it('four pods (only JOB_COMPLETION_INDEX set) and the printed merge give one result', async () => {
    const args = job.spec.template.spec.containers[0]!.args;
    const pods = await Promise.all([0, 1, 2, 3].map((i) => pod(args, i)));
    for (const p of pods) expect(p.code, p.stderr).toBe(0);
    const overrides = JSON.parse(/--overrides='(.*)'$/m.exec(gen.stdout)![1]!) as {
      spec: { containers: Array<{ args: string[] }> };
    };
    const merge = await pod(overrides.spec.containers[0]!.args);
    expect(merge.code, merge.stderr).toBe(0);
    const out = path.join(tmp, job.metadata.name, 'merged');
    expect(commonRaw(path.join(out, TASK, 'synthetic.json'))['Total Requests']).toBe(40);
    const ids = detailsLines(path.join(out, TASK, 'synthetic_details.jsonl'))
      .filter((r) => !r.warm)
      .map((r) => r.id as number);
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(merge.stdout).toMatch(/merged 4 shards/);
  });

  it('refuses an API key in the manifest and bad shard counts: one line, exit 2', async () => {
    const a = await cli(['k8s', '--shards', '2', '--', '--demo', '--api-key', 'sk-secret-123']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^aisbench-tui: k8s: --api-key is set by the Job itself.*--api-key-secret/);
    expect(a.stderr).not.toContain('sk-secret-123');
    const b = await cli(['k8s', '--shards', '0', '--', '--demo']);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });
});
