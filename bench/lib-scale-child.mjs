// Child process of bench/scale.mjs: recomputes every metric from a details
// file and reports time and peak RSS (VmHWM covers the worker threads too).
import { readFileSync } from 'node:fs';

const [path, stable] = process.argv.slice(2);
const { recomputeFromDetails } = await import(new URL('../dist/output/details-recompute.js', import.meta.url).href);
const { formatPerfTable, formatCommonTable } = await import(new URL('../dist/output/tables.js', import.meta.url).href);

const t = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const r = await recomputeFromDetails(path, {
  maxConcurrency: 512,
  stats: ['Average', 'Min', 'Max', 'Median', 'P75', 'P90', 'P99'],
  stable: stable === 'stable',
  key: 'bench/scale',
  abbr: 'bench',
  dataset: 'scale',
  model: 'synthetic',
  onWarning: (m) => process.stderr.write(m + '\n'),
});
const computeS = Number(process.hrtime.bigint() - t) / 1e9;
const cpu = process.cpuUsage(cpu0); // all threads of the process
const cpuS = (cpu.user + cpu.system) / 1e6;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peakKb = hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
process.stdout.write(formatPerfTable(r.perf) + '\n' + formatCommonTable(r.common) + '\n');
process.stdout.write(`@@ ${JSON.stringify({ computeS, cpuS, peakMb: peakKb / 1024 })}\n`);
