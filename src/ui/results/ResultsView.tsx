/**
 * The interactive results view: task tabs, the per-task tables and plots or
 * the comparison table, numeric sorting, stat presets, scrolling and screen
 * export. Keys come from the keymap table; the frame is laid out by the pure
 * layoutResults, so `e` exports exactly what is on screen.
 */
import { useInput, useStdin } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TaskResult } from '../../metrics/types.js';
import { writeScreen, type ScreenFormat } from './export-screen.js';
import { matches, type KeyInfo } from '../keymap.js';
import type { Theme } from '../theme.js';
import { compactPaths } from './format.js';
import { nextDialect } from '../../metrics/dialects.js';
import { layoutResults } from './layout.js';
import type { StatPreset } from './presets.js';
import { presetsFor, renderResultsText } from './render-results.js';
import { ResultsFrame } from './ResultsFrame.js';
import { shownRequests } from './requests.js';
import { initialResultsState, reduceResults, type ResultsAction, type ResultsState } from './state.js';
import { useTerminalSize } from '../use-terminal-size.js';

export interface ResultsViewProps {
  results: TaskResult[];
  /** Run folder; shown in the header and where exports go (unless exportDir). */
  runDir: string;
  /** The run was stopped early: `q` exits with 130 instead of 0. */
  interrupted: boolean;
  theme: Theme;
  onExit: (code: number) => void;
  /** Terminal size in columns/rows; default: stdout's, following resizes. */
  width?: number;
  height?: number;
  exportDir?: string;
  /** Stat presets for `t`; default: the results' stats, then default and tail. */
  presets?: StatPreset[];
  /** Formats written by `e`/`E` (default txt, ansi, svg). */
  exportFormats?: ScreenFormat[];
}

export function ResultsView(props: ResultsViewProps) {
  const { theme } = props;
  // Results replaced in place when the dialect switches (`m`) or differences load (`d`).
  const [results, setResults] = useState<TaskResult[]>(props.results);
  useEffect(() => setResults(props.results), [props.results]);
  const term = useTerminalSize();
  const width = props.width ?? term.columns;
  const height = props.height ?? term.rows;
  const presets = useMemo(() => props.presets ?? presetsFor(results), [props.presets, results]);
  const [state, setState] = useState<ResultsState>(initialResultsState);
  const layout = useMemo(
    () =>
      layoutResults({ results, state, presets, width, height, runDir: props.runDir, interrupted: props.interrupted }),
    [results, state, presets, width, height, props.runDir, props.interrupted],
  );
  // Key handlers read the latest state and layout through refs, so quick key
  // sequences between renders still act on current values.
  const latest = useRef({ state, layout, results });
  latest.current = { state, layout, results };

  const dispatch = (a: ResultsAction): void =>
    setState((s) =>
      reduceResults(s, a, {
        tasks: results.length,
        presets: presets.length,
        dataCols: latest.current.layout.dataCols,
        maxScroll: latest.current.layout.maxScroll,
        reqCount: latest.current.layout.reqCount,
      }),
    );

  const exportScreens = async (all: boolean): Promise<void> => {
    const dir = props.exportDir ?? props.runDir;
    const formats = props.exportFormats ?? ['txt', 'ansi', 'svg'];
    const now = latest.current.state;
    const opts = { height, runDir: props.runDir, interrupted: props.interrupted, presets };
    const written: string[] = [];
    try {
      if (all) {
        for (const [i, result] of results.entries()) {
          const st: ResultsState = { ...now, task: i, view: 'task', scroll: 0, status: null };
          const ansi = await renderResultsText(results, st, width, theme, { ...opts, height: undefined });
          written.push(...(await writeScreen(dir, result, ansi, formats)));
        }
      } else {
        const ansi = await renderResultsText(results, now, width, theme, opts);
        const task = now.view === 'task' ? (results[now.task] ?? null) : null;
        written.push(...(await writeScreen(dir, task, ansi, formats)));
      }
      const shown = all ? `${written.length} files under performances/` : compactPaths(written);
      dispatch({ type: 'status', text: `exported ${shown}` });
    } catch (err) {
      dispatch({
        type: 'status',
        text: `export failed: ${String((err as Error).message).split('\n')[0]}`,
        tone: 'error',
      });
    }
  };

  /** `m`: every task recomputed from its details in the next dialect; the layout stays where it was. */
  const switchDialect = async (): Promise<void> => {
    const cur = latest.current.results;
    const next = nextDialect(cur[latest.current.state.task]?.dialect);
    if (!cur.some((r) => r.switchDialect)) {
      dispatch({ type: 'status', text: 'no details file to recompute from', tone: 'error' });
      return;
    }
    dispatch({ type: 'status', text: `recomputing as ${next}...` });
    try {
      const stats = cur[0]?.perf.stats ?? [];
      const out = await Promise.all(
        cur.map((r) => Promise.resolve(r.switchDialect ? r.switchDialect(next, stats) : r)),
      );
      setResults(out);
      dispatch({ type: 'status', text: `metric dialect: ${next}` });
    } catch (err) {
      dispatch({
        type: 'status',
        text: `dialect switch failed: ${String((err as Error).message).split('\n')[0]}`,
        tone: 'error',
      });
    }
  };

  /** `d`: the differences view of the current task (loaded once from its details). */
  const toggleDiff = async (): Promise<void> => {
    dispatch({ type: 'toggleDiff' });
    const i = latest.current.state.task;
    const r = latest.current.results[i];
    if (!r || r.differences || !r.loadDifferences || latest.current.state.diff) return;
    try {
      const rows = await r.loadDifferences();
      setResults((all) => all.map((x) => (x === r ? { ...x, differences: rows } : x)));
    } catch (err) {
      dispatch({
        type: 'status',
        text: `differences failed: ${String((err as Error).message).split('\n')[0]}`,
        tone: 'error',
      });
    }
  };

  // The drill-down reads the task's requests once (again after `m`: the new
  // dialect's result has none yet), and the selected request's ITL on Enter.
  const current = results[state.task];
  const wantRows = Boolean(state.reqs) && state.view === 'task' && current !== undefined && !current.requests;
  useEffect(() => {
    if (!wantRows || !current) return;
    if (!current.loadRequests) {
      setResults((all) => all.map((x) => (x === current ? { ...x, requests: [] } : x)));
      dispatch({ type: 'status', text: 'no details file: the request list needs the run folder', tone: 'error' });
      return;
    }
    current.loadRequests().then(
      (rows) => setResults((all) => all.map((x) => (x === current ? { ...x, requests: rows } : x))),
      (err: unknown) =>
        dispatch({
          type: 'status',
          text: `requests failed: ${String((err as Error).message).split('\n')[0]}`,
          tone: 'error',
        }),
    );
  }, [wantRows, current]);
  const reqs = state.view === 'task' ? state.reqs : null;
  const selLine =
    reqs?.detail && current?.requests
      ? shownRequests(current.requests, reqs)[Math.min(reqs.cursor, layout.reqCount - 1)]?.line
      : undefined;
  const wantItl = reqs?.detail === true && reqs.itl === null && selLine !== undefined;
  useEffect(() => {
    if (!wantItl || selLine === undefined || !current) return;
    let live = true;
    const load = current.loadItl ? current.loadItl(selLine) : Promise.resolve([]);
    load.then(
      (itl) => {
        if (live) dispatch({ type: 'reqItl', itl });
      },
      (err: unknown) =>
        dispatch({
          type: 'status',
          text: `ITL failed: ${String((err as Error).message).split('\n')[0]}`,
          tone: 'error',
        }),
    );
    return () => {
      live = false;
    };
  }, [wantItl, selLine, current]);

  const { isRawModeSupported } = useStdin();
  useInput(
    (input: string, key: KeyInfo) => {
      const page = latest.current.layout.page;
      const inRequests = Boolean(latest.current.state.reqs) && latest.current.state.view === 'task';
      if (matches('app.quit', input, key) || matches('app.stop', input, key)) props.onExit(props.interrupted ? 130 : 0);
      else if (inRequests && matches('requests.up', input, key)) dispatch({ type: 'reqMove', by: -1 });
      else if (inRequests && matches('requests.down', input, key)) dispatch({ type: 'reqMove', by: 1 });
      else if (inRequests && matches('requests.pageUp', input, key)) dispatch({ type: 'reqMove', by: -page });
      else if (inRequests && matches('requests.pageDown', input, key)) dispatch({ type: 'reqMove', by: page });
      else if (inRequests && matches('requests.failed', input, key)) dispatch({ type: 'reqFailed' });
      else if (inRequests && matches('requests.open', input, key)) dispatch({ type: 'reqOpen' });
      else if (inRequests && matches('requests.back', input, key)) dispatch({ type: 'reqBack' });
      else if (matches('results.requests', input, key)) dispatch({ type: 'toggleRequests' });
      else if (matches('results.prevTask', input, key)) dispatch({ type: 'prevTask' });
      else if (matches('results.nextTask', input, key)) dispatch({ type: 'nextTask' });
      else if (matches('results.selectTask', input, key)) dispatch({ type: 'selectTask', index: Number(input) - 1 });
      else if (matches('results.colLeft', input, key)) dispatch({ type: 'colLeft' });
      else if (matches('results.colRight', input, key)) dispatch({ type: 'colRight' });
      else if (matches('results.sort', input, key)) dispatch({ type: 'sort' });
      else if (matches('results.reverse', input, key)) dispatch({ type: 'reverse' });
      else if (matches('results.scrollUp', input, key)) dispatch({ type: 'scroll', by: -1 });
      else if (matches('results.scrollDown', input, key)) dispatch({ type: 'scroll', by: 1 });
      else if (matches('results.pageUp', input, key)) dispatch({ type: 'scroll', by: -page });
      else if (matches('results.pageDown', input, key)) dispatch({ type: 'scroll', by: page });
      else if (matches('results.stats', input, key)) dispatch({ type: 'cyclePreset' });
      else if (matches('results.view', input, key)) dispatch({ type: 'toggleView' });
      else if (matches('results.dialect', input, key)) void switchDialect();
      else if (matches('results.diff', input, key)) void toggleDiff();
      else if (matches('results.exportAll', input, key)) void exportScreens(true);
      else if (matches('results.export', input, key)) void exportScreens(false);
    },
    { isActive: isRawModeSupported },
  );

  return <ResultsFrame lines={layout.lines} theme={theme} />;
}
