/**
 * What stays on the normal screen after the interactive screens close: per
 * task the headline metrics and failures, the run folder, and how to reopen
 * it. Plain text (no styles), so it can be copied into a ticket.
 */
import path from 'node:path';
import type { TaskResult } from '../metrics/types.js';
import { sanitizeText } from '../core/sanitize.js';
import { compactNumber } from '../ui/results/format.js';
import { commonValue, statValue } from '../ui/results/tables-for.js';

const n = (v: number, integer = false): string => compactNumber(v, integer);

/** Two lines per task: its name, then requests, rate, TTFT mean/P99, TPOT mean, output token throughput. */
export function taskSummaryLine(r: TaskResult): string {
  const ok = commonValue(r, 'success_requests');
  const failed = commonValue(r, 'failed_requests');
  const ttft = `TTFT ${n(statValue(r, r.perf, 'TTFT', 'Average'))} ms (P99 ${n(statValue(r, r.perf, 'TTFT', 'P99'))})`;
  // Two lines, so 80 columns do not wrap them.
  return (
    `  ${r.key}\n    ${n(ok, true)} ok, ${n(failed, true)} failed; ${n(commonValue(r, 'request_throughput'))} req/s; ` +
    `${ttft}; TPOT ${n(statValue(r, r.perf, 'TPOT', 'Average'))} ms; ${n(commonValue(r, 'output_token_throughput'))} tok/s`
  );
}

export function runSummary(runDir: string, results: readonly TaskResult[], interrupted: boolean): string {
  const lines = [
    `aisbench-tui: ${results.length} task(s) ${interrupted ? 'stopped early' : 'done'}; results in ${runDir}`,
  ];
  for (const r of results) {
    lines.push(taskSummaryLine(r));
    for (const f of r.failures.slice(0, 3))
      lines.push(`    ${sanitizeText(f.code)} x${f.count}: ${sanitizeText(f.example).slice(0, 100)}`);
  }
  const work = path.dirname(runDir);
  lines.push(`  reopen: aisbench-tui view ${path.basename(runDir)} -w ${work}`);
  return lines.join('\n') + '\n';
}
