#!/usr/bin/env node
// Scale benchmark (issue 8): metrics from the details of R requests × T
// output tokens. Generates the file once (cached under bench/out/), then
// recomputes every metric in a child process, measuring wall time and peak
// RSS of that process alone.
//
//   npm run bench:scale -- --requests 25000 --output-tokens 4096 [--stable] [--delete]
//
// Ends with: scale: requests=R tokens=T compute_s=X peak_rss_mb=Y disk_mb=Z
// Targets at 250,000 × 4,096: compute ≤ 15 s, RSS ≤ 2 GB, disk ≤ 4 GB.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    requests: { type: 'string', default: '25000' },
    'output-tokens': { type: 'string', default: '4096' },
    stable: { type: 'boolean', default: false },
    delete: { type: 'boolean', default: false },
  },
});
const R = Number(a.requests);
const T = Number(a['output-tokens']);
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url));
const file = `${outDir}details_${R}x${T}.jsonl`;

if (!existsSync(new URL('../dist/output/details-recompute.js', import.meta.url))) {
  console.log('building dist/ (npx tsc -p .)');
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit' });
}
mkdirSync(outDir, { recursive: true });
if (!existsSync(file)) {
  const t = Date.now();
  console.log(`generating ${file}`);
  const g = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('./gen-details.mjs', import.meta.url)),
      '--requests',
      String(R),
      '--output-tokens',
      String(T),
      '--out',
      file,
    ],
    { stdio: 'inherit' },
  );
  if (g.status !== 0) process.exit(1);
  console.log(`generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
} else console.log(`reusing ${file}`);

const diskMb = statSync(file).size / 1048576;
const c = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('./lib-scale-child.mjs', import.meta.url)), file, a.stable ? 'stable' : ''],
  {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
if (c.status !== 0) {
  console.error(c.stdout);
  process.exit(1);
}
const m = /^@@ (.*)$/m.exec(c.stdout);
const { computeS, cpuS, peakMb } = JSON.parse(m[1]);
console.log(c.stdout.replace(/^@@ .*\n?/m, ''));
console.log(`file: ${diskMb.toFixed(1)} MB on disk (${((diskMb * 1048576) / (R * T)).toFixed(2)} bytes per token)`);
console.log(
  `compute: ${computeS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU (all threads), peak RSS ${peakMb.toFixed(0)} MB; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
);
if (a.delete) rmSync(file);
console.log(
  `scale: requests=${R} tokens=${T} compute_s=${computeS.toFixed(2)} peak_rss_mb=${peakMb.toFixed(0)} disk_mb=${diskMb.toFixed(0)}`,
);
