/** Prometheus text parsing, the vLLM / SGLang / TGI vocabulary, derived series and the board's text, by hand. */
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../src/servermetrics/prom-text.js';
import { serverRows, toPoint } from '../src/servermetrics/series.js';
import { specDecodeReport } from '../src/servermetrics/spec-decode.js';
import { readServer } from '../src/servermetrics/vocab.js';
import { formatCounts, formatServer } from '../src/ui/board/format.js';

describe('Prometheus text', () => {
  it('reads names, escaped labels, special values; skips comments and bad lines', () => {
    const s = parsePrometheusText(
      [
        '# HELP x help text',
        '# TYPE x gauge',
        'x{a="1",b="q\\"uote\\\\ n\\nl"} 2.5',
        'y 3 1700000000000',
        'z{} +Inf',
        'w NaN',
        'bad{a=1} 3',
        'also bad',
        '  spaced{a="x"}   7  ',
        'colon:name_total{engine="0"} 1e3',
      ].join('\n'),
    );
    expect(s.map((x) => x.name)).toEqual(['x', 'y', 'z', 'w', 'spaced', 'colon:name_total']);
    expect(s[0]!.labels).toEqual({ a: '1', b: 'q"uote\\ n\nl' });
    expect(s[1]!.value).toBe(3);
    expect(s[2]!.value).toBe(Infinity);
    expect(Number.isNaN(s[3]!.value)).toBe(true);
    expect(s[5]!.value).toBe(1000);
  });
});

describe('one vocabulary', () => {
  it('vLLM v1 (counters with _total, summed over engines; per-position drafts)', () => {
    const r = readServer(
      parsePrometheusText(
        [
          'vllm:num_requests_running{engine="0"} 3',
          'vllm:num_requests_running{engine="1"} 4',
          'vllm:num_requests_waiting{engine="0"} 5',
          'vllm:kv_cache_usage_perc{engine="0"} 0.25',
          'vllm:prefix_cache_queries_total 200',
          'vllm:prefix_cache_hits_total 50',
          'vllm:num_preemptions_total 2',
          'vllm:generation_tokens_total 1000',
          'vllm:spec_decode_num_drafts_total 10',
          'vllm:spec_decode_num_accepted_tokens_per_pos_total{position="1"} 4',
          'vllm:spec_decode_num_accepted_tokens_per_pos_total{position="0"} 7',
        ].join('\n'),
      ),
    );
    expect(r).toMatchObject({
      dialect: 'vllm',
      running: 7,
      waiting: 5,
      kvUsage: 0.25,
      prefixQueries: 200,
      prefixHits: 50,
      preemptions: 2,
      generationTokens: 1000,
      specDrafts: 10,
      specPerPos: [7, 4],
    });
  });

  it('vLLM v0, SGLang and TGI names', () => {
    expect(
      readServer(parsePrometheusText('vllm:gpu_cache_usage_perc 0.5\nvllm:gpu_prefix_cache_hits 3')),
    ).toMatchObject({ dialect: 'vllm', kvUsage: 0.5, prefixHits: 3 });
    expect(
      readServer(
        parsePrometheusText(
          'sglang:num_running_reqs{model_name="m"} 8\nsglang:num_queue_reqs 2\nsglang:token_usage 0.4\nsglang:cache_hit_rate 0.75\nsglang:gen_throughput 900\nsglang:spec_accept_length 2.5',
        ),
      ),
    ).toMatchObject({
      dialect: 'sglang',
      running: 8,
      waiting: 2,
      kvUsage: 0.4,
      prefixHitRate: 0.75,
      genTokPerSec: 900,
      specAcceptLength: 2.5,
    });
    expect(
      readServer(
        parsePrometheusText(
          'tgi_batch_current_size 6\ntgi_queue_size 1\ntgi_request_generated_tokens_sum 500\ntgi_request_generated_tokens_count 5',
        ),
      ),
    ).toMatchObject({ dialect: 'tgi', running: 6, waiting: 1, generationTokens: 500 });
    expect(readServer(parsePrometheusText('process_cpu_seconds_total 5')).dialect).toBe('unknown');
  });
});

describe('series from readings', () => {
  const at = (ms: number, r: object | null) => ({
    at: ms,
    reading: r === null ? null : { dialect: 'vllm' as const, ...r },
  });
  it('counters are differences from the task baseline; tokens/s between readings', () => {
    const base = at(1000, { running: 0, prefixQueries: 100, prefixHits: 10, generationTokens: 500, preemptions: 1 });
    const cur = at(3000, {
      running: 8,
      kvUsage: 0.123,
      prefixQueries: 300,
      prefixHits: 130,
      generationTokens: 2500,
      preemptions: 4,
    });
    // Δhits / Δqueries = 120 / 200 = 60 %; Δgen / Δt = 2000 tokens / 2 s = 1000 tokens/s; preemptions 4 - 1.
    expect(toPoint(cur, base, base.reading, 2000)).toEqual({
      t: 1,
      running: 8,
      kv_pct: 12.3,
      prefix_hit_pct: 60,
      preemptions: 3,
      gen_tok_s: 1000,
    });
    expect(toPoint(at(4000, null), cur, base.reading, 2000)).toEqual({ t: 2, missing: true });
    const rows = serverRows(
      [base, cur, at(4000, null)],
      [toPoint(base, null, base.reading, 2000), toPoint(cur, base, base.reading, 2000), { t: 2, missing: true }],
    );
    expect(rows.map((r) => [r.name, r.value])).toEqual([
      ['Server Running (mean) (partial)', 8],
      ['Server KV Cache Usage (mean) (partial)', 12.3],
      ['Server Prefix Cache Hit Rate (partial)', 60],
      ['Server Preemptions (partial)', 3],
      ['Server Generation Throughput (partial)', 1000],
    ]);
  });

  it('spec decode report from counter deltas', () => {
    const a = at(0, { specDrafts: 10, specDraftTokens: 30, specAccepted: 12, specPerPos: [6, 4, 2] });
    const b = at(1000, { specDrafts: 110, specDraftTokens: 330, specAccepted: 132, specPerPos: [66, 40, 26] });
    // 100 drafts, 300 draft tokens, 120 accepted: rate 0.4, length 1 + 1.2 = 2.2; positions 60/100, 36/100, 24/100.
    expect(specDecodeReport([a, b])).toEqual({
      num_drafts: 100,
      num_draft_tokens: 300,
      num_accepted_tokens: 120,
      acceptance_rate: 0.4,
      mean_acceptance_length: 2.2,
      acceptance_rate_per_position: [0.6, 0.36, 0.24],
    });
  });
});

describe('on the board', () => {
  it('appends the latest server metrics to Extend Parameters', () => {
    expect(formatServer({ running: 16, waiting: 48, kvPct: 63.2, prefixHitPct: 87.4 })).toBe(
      'srv run 16 wait 48 KV 63% hit 87%',
    );
    expect(formatServer({ running: 1, kvPct: 4.25, missing: true })).toBe('srv missing run 1 wait - KV 4.3% hit -');
    expect(
      formatCounts({ post: 4, recv: 3, finish: 3, fail: 0 }, { running: 2, waiting: 0, kvPct: 50, prefixHitPct: 10 }),
    ).toBe('POST 4 RECV 3 FINISH 3 FAIL 0 | srv run 2 wait 0 KV 50% hit 10%');
  });
});

describe('command line', async () => {
  const { parseCli } = await import('../src/cli/args.js');
  const opts = (argv: string[]) => {
    const c = parseCli(argv);
    if (c.kind !== 'perf') throw new Error(c.kind);
    return c.opts;
  };
  it('--server-metrics [URL], --no-server-metrics, --spec-decode', () => {
    expect(opts(['--demo']).serverMetrics).toBeUndefined();
    expect(opts(['--demo', '--server-metrics']).serverMetrics).toBe(true);
    expect(opts(['--demo', '--server-metrics', 'http://127.0.0.1:9000/metrics']).serverMetrics).toBe(
      'http://127.0.0.1:9000/metrics',
    );
    expect(opts(['--demo', '--no-server-metrics']).serverMetrics).toBe(false);
    expect(opts(['--demo', '--spec-decode']).specDecode).toBe(true);
    expect(() => parseCli(['--demo', '--server-metrics', 'ftp://x'])).toThrow(/--server-metrics/);
  });
});

describe('server series beside the client series', async () => {
  const { plotsLines } = await import('../src/ui/results/plots-panel.js');
  const { buildPlotHtml } = await import('../src/report/plot-html.js');
  const server = [
    { t: -0.5, running: 0, waiting: 0, kv_pct: 0 },
    { t: 0.5, running: 8, waiting: 4, kv_pct: 20 },
    { t: 1.5, missing: true as const },
    { t: 2.5, running: 8, waiting: 0, kv_pct: 30 },
  ];
  const series = {
    concurrency: [
      [0, 8],
      [3, 0],
    ] as Array<[number, number]>,
    outputTokPerSec: [100, 100, 100],
    ttftByStart: [[0, 10]] as Array<[number, number]>,
    server,
  };
  it('results view: braille plots of running, waiting and KV cache on the run time axis, gaps named', () => {
    const text = plotsLines(series, 60, 3).map((l) => l.map((s) => s.text).join(''));
    expect(text.filter((l) => l.startsWith('Server running (scrapes missing)'))).toHaveLength(1);
    expect(text.some((l) => l.startsWith('Server waiting'))).toBe(true);
    // KV cache y range 0..30 %.
    expect(text.some((l) => /^Server KV cache \(scrapes missing\)\s+0\.\.30 %/.test(l))).toBe(true);
    expect(
      plotsLines({ ...series, server: undefined }, 60, 3).some((l) =>
        l
          .map((s) => s.text)
          .join('')
          .startsWith('Server'),
      ),
    ).toBe(false);
  });

  it('HTML plot: a third linked chart with the points from the run start, failed scrapes as gaps', () => {
    const html = buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records: [], server });
    expect(html).toContain('id="chart-server"');
    expect(html).toContain('1 scrape(s) failed (gaps)');
    expect(html).toContain(
      '"server":{"t":[0.5,1.5,2.5],"running":[8,null,8],"waiting":[4,null,0],"kv":[20,null,30],"missing":1}',
    );
    expect(buildPlotHtml({ abbr: 'a', dataset: 'd', model: 'm', records: [] })).not.toContain('id="chart-server"');
  });
});

describe('board layout with server metrics', async () => {
  const { computeLayout, formatRow } = await import('../src/ui/board/layout.js');
  const { makeTask } = await import('./board-fixtures.js');
  const server = { running: 16, waiting: 48, kvPct: 63, prefixHitPct: 87 };
  const row = (width: number, s?: typeof server) => {
    const tasks = [makeTask(0, 10, s ? { server: s } : {})];
    const layout = computeLayout(tasks, width);
    return {
      ids: layout.columns.map((c) => c.id),
      text: formatRow(tasks[0]!, layout)
        .map((x) => x.text)
        .join(''),
    };
  };
  it('shows the server text only in room left over, never pushing a column out', () => {
    expect(row(250, server).text).toContain('| srv run 16 wait 48 KV 63% hit 87%');
    // At 100 columns the same columns as without server metrics, and no srv text.
    expect(row(100, server).ids).toEqual(row(100).ids);
    expect(row(100, server).text).not.toContain('srv');
  });
});
