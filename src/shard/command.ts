/** Dispatch of the shard tools: `merge`, `k8s`, `watch`. */
import type { PerfArgsParser, PerfOptions } from '../config/options.js';
import type { Presenter } from '../run/presenter.js';
import { withController } from '../run/controller.js';

export async function runShardTool(
  tool: 'merge' | 'k8s' | 'watch',
  argv: string[],
  makePresenter: (o: PerfOptions) => Promise<Presenter>,
  parsePerf: PerfArgsParser,
): Promise<number> {
  if (tool === 'k8s') return (await import('./k8s.js')).runK8sCommand(argv, parsePerf);
  if (tool === 'watch') return (await import('./watch.js')).runWatchCommand(argv, makePresenter, parsePerf);
  const m = await import('./merge-command.js');
  const { dirs, out, opts } = m.parseMergeArgs(argv, parsePerf);
  const presenter = await makePresenter(opts);
  return withController(presenter, opts.debug, (ctl) => m.mergeShards(dirs, out, opts, presenter, ctl));
}
