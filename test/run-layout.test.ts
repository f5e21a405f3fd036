/**
 * core/run-layout.ts owns every path inside a run folder (#19): the paths it
 * spells (hand-written below from AISBench's layout), and a guard that fails
 * when code elsewhere in src/ spells a run-folder path itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RunLayout } from '../src/core/run-layout.js';

describe('RunLayout', () => {
  it("spells AISBench's layout, relative to the run folder", () => {
    const j = path.join;
    expect(RunLayout.configFile('20261130_120000')).toBe(j('configs', '20261130_120000_config.yaml'));
    expect(RunLayout.logDir()).toBe(j('logs', 'performance'));
    expect(RunLayout.taskLog('vllm-api', 'gsm8k')).toBe(j('logs', 'performance', 'vllm-api', 'gsm8k.out'));
    expect(RunLayout.taskLog('vllm-api', 'gsm8k', 'infer', '.shard1.out')).toBe(
      j('logs', 'infer', 'vllm-api', 'gsm8k.shard1.out'),
    );
    expect(RunLayout.taskDir('vllm-api')).toBe(j('performances', 'vllm-api'));
    expect(RunLayout.taskFile('vllm-api', 'gsm8k', 'csv')).toBe(j('performances', 'vllm-api', 'gsm8k.csv'));
    expect(RunLayout.taskFile('vllm-api', 'gsm8k', 'details')).toBe(
      j('performances', 'vllm-api', 'gsm8k_details.jsonl'),
    );
    expect(RunLayout.taskFile('vllm-api', 'gsm8k', 'rps')).toBe(
      j('performances', 'vllm-api', 'gsm8k_rps_distribution_plot.html'),
    );
    expect(RunLayout.summaryFile('sweep.csv')).toBe(j('summary', 'sweep.csv'));
    // Accuracy modes (AISBench: predictions/<abbr>/<dataset>.json, results/<abbr>/<dataset>.json).
    expect(RunLayout.predictionsFile('vllm-api', 'demo_gsm8k')).toBe(j('predictions', 'vllm-api', 'demo_gsm8k.json'));
    expect(RunLayout.resultsFile('vllm-api', 'mmlu')).toBe(j('results', 'vllm-api', 'mmlu.json'));
    expect(RunLayout.resultsFile('vllm-api', 'mmlu', 'screen')).toBe(j('results', 'vllm-api', 'mmlu_screen.txt'));
    // capacity/index-html.ts links a point's plot from the dataset part of its CSV or JSON file.
    expect(RunLayout.taskFileDataset('performances/vllm-api/synthetic_c16_run2.csv')).toBe('synthetic_c16_run2');
    expect(RunLayout.taskFileDataset('performances/vllm-api/gsm8k.json')).toBe('gsm8k');
    expect(RunLayout.taskFileDataset('gsm8k_details.jsonl', ['details'])).toBe('gsm8k');
    expect(RunLayout.taskFileDataset('performances/vllm-api/notes.txt')).toBe('notes.txt');
    // A --shard run's files, a merged run's breakdown, the --processes children's folder.
    expect([
      RunLayout.shardManifest,
      RunLayout.liveState,
      RunLayout.shardsSummary,
      RunLayout.shardsDir,
      RunLayout.mergedDir,
    ]).toEqual(['shard.json', 'live.json', 'shards.json', 'shards', 'merged']);
    expect(RunLayout.perfSubdirs()).toEqual(['configs', j('logs', 'performance'), 'performances']);
  });

  it('no file of src/ outside core/run-layout.ts spells a run-folder path in a string', () => {
    // String and template pieces only (comments may name the files).
    const spelled =
      /^(performances|configs|logs|predictions)$|_details\.jsonl|_meta\.json|_plot\.html|_server_rows\.json|_config\.yaml|^(shard|live|shards)\.json$/;
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && p !== path.join('src', 'core', 'run-layout.ts')) scan(p);
      }
    };
    const scan = (file: string): void => {
      const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        const lit =
          ts.isStringLiteral(n) ||
          ts.isNoSubstitutionTemplateLiteral(n) ||
          ts.isTemplateHead(n) ||
          ts.isTemplateMiddle(n) ||
          ts.isTemplateTail(n);
        if (lit && spelled.test(n.text)) found.push(`${file}: ${n.getText(src)}`);
        ts.forEachChild(n, visit);
      };
      visit(src);
    };
    walk('src');
    expect(found, 'use RunLayout (src/core/run-layout.ts)').toEqual([]);
  });
});
