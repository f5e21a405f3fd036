/** What parseCli returns: one command of the command line. */
import type { PerfMode, PerfOptions } from '../config/options.js';

export type ConfigAction = 'get' | 'set' | 'unset' | 'list' | 'path';

export type Command =
  | { kind: 'perf'; mode: PerfMode; opts: PerfOptions }
  | { kind: 'sim'; argv: string[] }
  | { kind: 'compare'; argv: string[] }
  | { kind: 'shard-tool'; tool: 'merge' | 'k8s' | 'watch'; argv: string[] }
  | { kind: 'config'; action: ConfigAction; key?: string; value?: string }
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string };
