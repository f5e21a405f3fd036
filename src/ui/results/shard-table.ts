/**
 * A merged sharded run (#20): each shard's own figures under the task's
 * tables, so an uneven shard (slower host, late start) shows beside the
 * merged result. Rows come from shards.json (shard/merge-command.ts).
 */
import type { ShardBreakdownRow } from '../../metrics/types.js';
import { sanitizeText } from '../../core/sanitize.js';
import { compactNumber } from './format.js';
import { seg, type Line } from './lines.js';
import { renderTable } from './table.js';

/** Lag and spread in ms with one decimal ('-' when unknown: no --start-at, or no start recorded). */
const ms1 = (v: number | null): string => (v === null || !Number.isFinite(v) ? '-' : v.toFixed(1));

export function shardTableLines(rows: readonly ShardBreakdownRow[], width: number): Line[] {
  const table = renderTable({
    labels: [
      { header: 'Shard', align: 'left' },
      { header: 'Host', align: 'left' },
    ],
    data: [
      { header: 'Requests', align: 'right' },
      { header: 'OK', align: 'right' },
      { header: 'req/s', align: 'right' },
      { header: 'out tok/s', align: 'right' },
      { header: 'TTFT P99 (ms)', align: 'right' },
      { header: 'start lag (ms)', align: 'right' },
      { header: 'start diff (ms)', align: 'right' },
    ],
    rows: [...rows]
      .sort((a, b) => a.shard - b.shard)
      .map((r) => [
        String(r.shard),
        // The host name is read back from a file another machine wrote.
        sanitizeText(r.host),
        String(r.requests),
        String(r.success),
        compactNumber(r.requestThroughput),
        compactNumber(r.outputTokenThroughput),
        compactNumber(r.ttftP99),
        ms1(r.startLagMs),
        ms1(r.startSpreadMs),
      ]),
    width,
    cursor: -1,
    sort: null,
  });
  return [
    [seg(`Shards (${rows.length}, merged)`, 'accent', { bold: true })],
    ...table,
    [
      seg(
        "start lag: after the agreed --start-at instant, by the shard's clock; start diff: after the earliest shard's start",
        'muted',
      ),
    ],
  ];
}
