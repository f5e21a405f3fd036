/**
 * The summary (AISBench's `example` summarizer): one row per dataset ×
 * metric, one column per model, from every `results/<abbr>/<dataset>.json`
 * of a run, written to `summary/summary_<timestamp>.{csv,md,txt}`:
 *
 *   dataset     version  metric    mode  sim-stream-chat
 *   ----------  -------  --------  ----  ---------------
 *   demo_gsm8k  401e4c   accuracy  gen             70.50
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { displayWidth } from '../output/tables.js';
import type { AccuracyResult } from './eval.js';
import { RunLayout } from '../core/run-layout.js';

export interface SummaryRow {
  dataset: string;
  version: string;
  metric: string;
  mode: string;
  /** Percent per model abbr (missing = the model has no result for this row). */
  values: Record<string, number>;
}

export interface Summary {
  models: string[];
  rows: SummaryRow[];
}

/** Every results file of a run, models and datasets in name order. */
export function readResults(runDir: string): AccuracyResult[] {
  const dir = path.join(runDir, RunLayout.results);
  if (!existsSync(dir)) return [];
  const out: AccuracyResult[] = [];
  for (const abbr of readdirSync(dir).sort()) {
    const sub = path.join(dir, abbr);
    for (const f of readdirSync(sub)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      out.push(JSON.parse(readFileSync(path.join(sub, f), 'utf8')) as AccuracyResult);
    }
  }
  return out;
}

/** Models in the order given (results of other models after them). */
export function buildSummary(results: readonly AccuracyResult[], order: readonly string[] = []): Summary {
  const models = [
    ...new Set([...order.filter((m) => results.some((r) => r.abbr === m)), ...results.map((r) => r.abbr)]),
  ];
  const rows = new Map<string, SummaryRow>();
  for (const r of results) {
    for (const m of r.metrics) {
      const key = `${m.dataset}\u0000${r.version}\u0000${m.metric}`;
      let row = rows.get(key);
      if (!row)
        rows.set(key, (row = { dataset: m.dataset, version: r.version, metric: m.metric, mode: 'gen', values: {} }));
      row.values[r.abbr] = m.value;
    }
  }
  return { models, rows: [...rows.values()] };
}

const cell = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(2));

function table(s: Summary): string[][] {
  return [
    ['dataset', 'version', 'metric', 'mode', ...s.models],
    ...s.rows.map((r) => [r.dataset, r.version, r.metric, r.mode, ...s.models.map((m) => cell(r.values[m]))]),
  ];
}

/** AISBench's text table: the first four columns left-aligned, model columns right-aligned. */
export function summaryText(s: Summary): string {
  const t = table(s);
  const widths = t[0]!.map((_, c) => Math.max(...t.map((row) => displayWidth(row[c]!))));
  const pad = (v: string, c: number) => {
    const fill = ' '.repeat(widths[c]! - displayWidth(v));
    return c < 4 ? v + fill : fill + v;
  };
  const lines = t.map((row) => row.map(pad).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n') + '\n';
}

export function summaryMarkdown(s: Summary): string {
  const t = table(s);
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  const line = (row: string[]) => `| ${row.map(esc).join(' | ')} |`;
  return (
    [line(t[0]!), `|${t[0]!.map((_, c) => (c < 4 ? ' --- ' : ' ---: ')).join('|')}|`, ...t.slice(1).map(line)].join(
      '\n',
    ) + '\n'
  );
}

export function summaryCsv(s: Summary): string {
  return stringify(table(s));
}

/** Writes the three files; returns their paths relative to the run folder. */
export function writeSummary(runDir: string, s: Summary, timestamp: string): string[] {
  const dir = path.join(runDir, RunLayout.summary);
  mkdirSync(dir, { recursive: true });
  const files: Array<[string, string]> = [
    [`summary_${timestamp}.csv`, summaryCsv(s)],
    [`summary_${timestamp}.md`, summaryMarkdown(s)],
    [`summary_${timestamp}.txt`, summaryText(s)],
  ];
  for (const [name, body] of files) writeFileSync(path.join(dir, name), body);
  return files.map(([name]) => RunLayout.summaryFile(name));
}
