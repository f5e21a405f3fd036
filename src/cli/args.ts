/**
 * Command line → Command. Never exits and never prints: a bad argument is a
 * UsageError with one line (the caller prints `aisbench-tui: <line>`, exit 2).
 * The flag table is program.ts, the rules between flags perf-options.ts.
 */
import { CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Command, ConfigAction } from './command.js';
import { foldAliases, viewArgs } from './newcomer.js';
import { buildProgram, DEMO_PARALLEL_TASKS, type Raw } from './program.js';
import { toPerfOptions } from './perf-options.js';

export * from '../config/options.js';
export type * from './command.js';
export {
  API_KEY_ENV,
  DEMO_ACCURACY_DATASET,
  DEMO_DATASET,
  DEMO_MODEL,
  DEMO_PARALLEL_TASKS,
  MAX_DEMO_TASKS,
  packageVersion,
} from './program.js';

/** Commander's messages start with 'error: ' and may carry a suggestion on a second line. */
function oneLine(msg: string): string {
  return msg
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function parseConfigCommand(argv: string[]): Command {
  const [action, key, value, ...rest] = argv;
  const usage = 'usage: aisbench-tui config get KEY | set KEY VALUE | unset KEY | list | path';
  const actions: ConfigAction[] = ['get', 'set', 'unset', 'list', 'path'];
  if (!action || !actions.includes(action as ConfigAction)) {
    throw new UsageError(action ? `unknown config action '${action}' (${usage})` : usage);
  }
  const want = { get: 1, set: 2, unset: 1, list: 0, path: 0 }[action as ConfigAction];
  const got = [key, value, ...rest].filter((x) => x !== undefined).length;
  if (got !== want) throw new UsageError(usage);
  return { kind: 'config', action: action as ConfigAction, key, value };
}

export function parseCli(argv: string[]): Command {
  if (argv[0] === 'sim') return { kind: 'sim', argv: argv.slice(1) };
  if (argv[0] === 'compare') return { kind: 'compare', argv: argv.slice(1) };
  if (argv[0] === 'config') {
    const rest = argv.slice(1);
    if (rest[0] === '--help' || rest[0] === '-h')
      return {
        kind: 'help',
        text: 'usage: aisbench-tui config get KEY | set KEY VALUE | unset KEY | list | path\n(user preferences such as refreshHz and theme, kept with conf)',
      };
    return parseConfigCommand(rest);
  }
  if (argv[0] === 'view') return parseView(argv.slice(1));
  if (argv[0] === 'merge' || argv[0] === 'k8s' || argv[0] === 'watch')
    return { kind: 'shard-tool', tool: argv[0], argv: argv.slice(1) };

  const out = { text: '' };
  const program = buildProgram(out);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')
        return { kind: 'help', text: out.text };
      if (err.code === 'commander.version') return { kind: 'version', text: out.text.trim() };
      if (err.code === 'commander.excessArguments') {
        throw new UsageError(
          `unexpected argument '${program.args[0] ?? ''}' (task names go after --models / --datasets)`,
        );
      }
      throw new UsageError(oneLine(err.message));
    }
    throw err;
  }
  const o = program.opts<Raw>();
  foldAliases(o, program.getOptionValueSource('ignoreEos'));
  const opts = toPerfOptions(o, argv.length === 0);
  // Many demo tasks one after another would take minutes: run a few at once
  // unless the user chose --max-num-workers.
  if (opts.demoTasks !== undefined && program.getOptionValueSource('maxNumWorkers') === 'default') {
    opts.maxNumWorkers = Math.min(opts.demoTasks, DEMO_PARALLEL_TASKS);
  }
  return { kind: 'perf', mode: o.mode, opts };
}

/** `view [TIMESTAMP|DIR] [options]`: perf_viz of a saved run that rewrites nothing (newcomer.ts). */
function parseView(argv: string[]): Command {
  const v = viewArgs(argv);
  if (v.help) return { kind: 'help', text: v.help };
  const c = parseCli(v.argv);
  if (c.kind !== 'perf') return c;
  c.opts.view = { pick: v.pick };
  return c;
}
