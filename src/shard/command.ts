/** Dispatch of the shard tools: `merge`, `k8s`, `watch`. */
import type { PerfOptions } from '../cli/options.js';
import type { Presenter } from '../run/presenter.js';

export async function runShardTool(tool: 'merge' | 'k8s' | 'watch', argv: string[], makePresenter: (o: PerfOptions) => Promise<Presenter>): Promise<number> {
  if (tool === 'k8s') return (await import('./k8s.js')).runK8sCommand(argv);
  if (tool === 'watch') return (await import('./watch.js')).runWatchCommand(argv, makePresenter);
  const m = await import('./merge-command.js');
  const { dirs, out, opts } = m.parseMergeArgs(argv);
  return m.mergeShards(dirs, out, opts, await makePresenter(opts));
}
