/**
 * Plain mode (stdout is not a terminal, or --no-tui): a progress line per
 * task every few seconds, then the Performance Parameters and Common Metric
 * tables as AISBench prints them, then where the files are.
 */
import { formatServer } from '../ui/board/format.js';
import path from 'node:path';
import type { RunSnapshot, SnapshotSource } from '../engine/types.js';
import { formatCommonTable, formatFailureTable, formatPerfTable, renderTable } from '../output/tables.js';
import { evalscopeTablesText } from '../metrics/evalscope-summary.js';
import { logTimestamp } from '../output/task-log.js';
import { sanitizeText } from '../core/sanitize.js';
import { sloLine } from '../metrics/slo-rows.js';
import type { FinalView, Presenter, PresenterControls } from './presenter.js';
import type { AccuracyView } from '../scoring/view.js';
import { summaryText } from '../scoring/summary.js';
import { RunLayout } from '../core/run-layout.js';

export class PlainPresenter implements Presenter {
  readonly refreshHz = 1;
  readonly interactive = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    /** Seconds between progress lines. */
    private readonly everyS = 3,
  ) {}

  private say(msg: string): void {
    this.out.write(`[${logTimestamp()}] [aisbench-tui] [INFO] ${msg}\n`);
  }

  start(source: SnapshotSource, _controls: PresenterControls): void {
    const snap = source.getSnapshot();
    this.say(`Base path of result&log : ${snap.runDir}`);
    this.timer = setInterval(() => this.progress(source.getSnapshot()), this.everyS * 1000);
    this.timer.unref();
  }

  private progress(s: RunSnapshot): void {
    for (const t of s.tasks) {
      if (t.status === 'waiting' || t.status === 'finish') continue;
      const total = Number.isFinite(t.total) ? `/${t.total}` : '';
      const c = t.counts;
      this.say(
        `${t.key}: ${t.status} ${c.finish + c.fail}${total} done [${t.itPerSec.toFixed(1)} it/s] ` +
          `POST ${c.post} RECV ${c.recv} FINISH ${c.finish} FAIL ${c.fail} in-flight ${t.inflight}` +
          (t.server ? ` ${formatServer(t.server)}` : ''),
      );
      if (t.warning) this.out.write(`[${logTimestamp()}] [aisbench-tui] [WARNING] ${t.key}: ${t.warning}\n`);
    }
  }

  async showResults(v: FinalView): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    for (const r of v.results) {
      this.say(`Performance Results of task: ${r.key}:`);
      if (r.dialect) this.out.write(`Metric dialect: ${r.dialect}\n`);
      this.out.write(formatPerfTable(r.perf) + '\n');
      this.out.write(formatCommonTable(r.common) + '\n');
      if (r.evalscope) this.out.write(evalscopeTablesText(r.evalscope, (h, rows) => renderTable(h, rows)) + '\n');
      if (r.failures.length) this.out.write(formatFailureTable(r.failures) + '\n');
      const slo = sloLine(r.common);
      if (slo) this.say(`${r.key}: ${slo}`);
      this.say(`Performance Result files located in ${path.join(v.runDir, RunLayout.taskDir(r.abbr))}.`);
    }
    if (v.capacity) {
      for (const line of v.capacity.lines) this.out.write(line + '\n');
      if (v.capacity.files.length)
        this.say(`Capacity summary files: ${v.capacity.files.map((f) => path.join(v.runDir, f)).join(', ')}`);
    }
    if (v.interrupted) this.say('The run was stopped: results cover the requests that finished.');
    if (v.message) process.stderr.write(`aisbench-tui: ${sanitizeText(v.message)}\n`);
    return null;
  }

  async showAccuracy(v: AccuracyView): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    this.say('Accuracy summary:');
    this.out.write(summaryText(v.summary));
    for (const r of v.results) {
      const c = r.counts;
      if (c.failed + c.missing > 0)
        this.say(`${r.abbr}/${r.dataset}: ${c.failed} failed and ${c.missing} missing sample(s) count as wrong`);
    }
    this.say(`Summary files: ${v.files.map((f) => path.join(v.runDir, f)).join(', ')}`);
    if (v.interrupted) this.say('The run was stopped: the summary covers the samples that finished.');
    if (v.message) process.stderr.write(`aisbench-tui: ${v.message}\n`);
    return null;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
