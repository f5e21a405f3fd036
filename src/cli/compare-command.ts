/**
 * `aisbench-tui compare RUN_A RUN_B [--fail-over PCT] [--no-tui] [-w DIR]`.
 * Exit codes: 0 no regression beyond --fail-over (or none asked); 3 at least
 * one; 2 bad command line / not a run folder.
 */
import { Command as Commander, CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import { positiveNumber, nonNegNumber } from '../core/values.js';
import { compareRuns, comparisonText, resolveRun, type Comparison } from '../capacity/compare.js';

export interface CompareArgs {
  a: string;
  b: string;
  workDir: string;
  /** Exit 3 when a regression is beyond this %; undefined = never. */
  failOver?: number;
  /** Marks (regression / improved) beyond this % (default --fail-over, else 5). */
  thresholdPct: number;
  noTui: boolean;
  theme?: string;
}

export function parseCompareArgs(argv: string[]): CompareArgs {
  const p = new Commander('aisbench-tui compare')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .argument('<runA>')
    .argument('<runB>')
    .option('-w, --work-dir <dir>', 'where run timestamps are looked up', 'outputs/default')
    .option('--fail-over <pct>', 'exit 3 when a metric regressed by more than PCT %', nonNegNumber('--fail-over'))
    .option(
      '--threshold <pct>',
      'mark changes beyond PCT % (default: --fail-over, else 5)',
      positiveNumber('--threshold'),
    )
    .option('--no-tui', 'print the table instead of opening the A/B view')
    .option('--theme <name>', 'colour theme');
  try {
    p.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      throw new UsageError(
        `compare: ${err.message.replace(/^error:\s*/, '').split('\n')[0]} (usage: aisbench-tui compare RUN_A RUN_B [--fail-over PCT] [--no-tui])`,
      );
    }
    throw err;
  }
  const o = p.opts<{ workDir: string; failOver?: number; threshold?: number; tui: boolean; theme?: string }>();
  const [a, b] = p.processedArgs as [string, string];
  return {
    a,
    b,
    workDir: o.workDir,
    failOver: o.failOver,
    thresholdPct: o.threshold ?? o.failOver ?? 5,
    noTui: !o.tui,
    theme: o.theme,
  };
}

export async function runCompareCommand(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const args = parseCompareArgs(argv);
  const c: Comparison = compareRuns(
    resolveRun(args.a, args.workDir),
    resolveRun(args.b, args.workDir),
    args.thresholdPct,
  );
  if (c.rows.length === 0)
    throw new UsageError('compare: the two runs share no task (compare runs of the same models and datasets)');
  const failing =
    args.failOver !== undefined &&
    c.rows.some((r) => r.mark === 'regression' && (Number.isNaN(r.pct) || Math.abs(r.pct) > args.failOver!));
  const code = failing ? 3 : 0;
  if (args.noTui || !out.isTTY || !process.stdin.isTTY) {
    out.write(comparisonText(c) + '\n');
    return code;
  }
  const { showCompareView } = await import('../ui/compare/run-compare.js');
  await showCompareView(c, args.theme);
  return code;
}
