/**
 * The accuracy results view (after all / eval / viz): the summary table with
 * models as columns (column cursor, numeric sort), the task switcher, per task
 * a sample browser (filter correct / wrong / failed, Enter opens one: prompt,
 * output, extracted answer, reference), and `e` to export the screen as text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useInput, useStdin } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { AccuracyView as AccuracyData } from '../../scoring/view.js';
import { predictionsPath } from '../../scoring/eval.js';
import { predKey, readPredictions } from '../../scoring/predictions.js';
import { matches, type KeyInfo } from '../keymap.js';
import { lineText } from '../results/lines.js';
import { ResultsFrame } from '../results/ResultsFrame.js';
import type { Theme } from '../theme.js';
import { layoutAccuracy, type SampleRow } from './layout.js';
import { initialAccuracyState, reduceAccuracy, type AccuracyAction, type AccuracyState } from './state.js';
import { RunLayout } from '../../core/run-layout.js';
import { useTerminalSize } from '../use-terminal-size.js';

export interface AccuracyViewProps {
  view: AccuracyData;
  theme: Theme;
  onExit: (code: number) => void;
  width?: number;
  height?: number;
}

/** The samples of one task: its judgements joined with the prompt and output of its predictions. */
export function loadSampleRows(view: AccuracyData, task: number): SampleRow[] {
  const r = view.results[task];
  if (!r) return [];
  const preds = readPredictions(predictionsPath(view.runDir, r.abbr, r.dataset)).latest;
  return r.scores.map((score) => {
    const p = preds.get(predKey(score.sample, score.replica));
    const prompt = p ? (typeof p.prompt === 'string' ? p.prompt : (p.prompt.at(-1)?.content ?? '')) : '';
    return { score, prompt, output: p?.output ?? (p?.msg ? `(failed: ${p.msg})` : '') };
  });
}

/** Where `e` writes the screen: beside the summary, or beside the task's results. */
export function screenFile(view: AccuracyData, tab: number): string {
  const r = view.results[tab - 1];
  if (tab === 0 || !r) return path.join(view.runDir, RunLayout.summaryFile('summary_screen.txt'));
  return path.join(view.runDir, RunLayout.resultsFile(r.abbr, r.dataset, 'screen'));
}

export function AccuracyView(props: AccuracyViewProps) {
  const size = useTerminalSize();
  const width = props.width ?? size.columns;
  const height = props.height ?? size.rows;
  const [state, setState] = useState<AccuracyState>(initialAccuracyState);
  const cache = useRef(new Map<number, SampleRow[]>());
  const samples = useMemo(() => {
    if (state.tab === 0) return null;
    let rows = cache.current.get(state.tab);
    if (!rows) cache.current.set(state.tab, (rows = loadSampleRows(props.view, state.tab - 1)));
    return rows;
  }, [state.tab, props.view]);
  const layout = useMemo(
    () => layoutAccuracy({ view: props.view, state, width, height, samples }),
    [props.view, state, width, height, samples],
  );
  const latest = useRef(layout);
  latest.current = layout;
  const dispatch = (a: AccuracyAction): void =>
    setState((s) =>
      reduceAccuracy(s, a, {
        tasks: props.view.results.length,
        cols: latest.current.cols,
        rows: latest.current.rows,
        maxScroll: latest.current.maxScroll,
      }),
    );

  const exportScreen = (): void => {
    const file = screenFile(props.view, state.tab);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, latest.current.lines.map((l) => lineText(l).trimEnd()).join('\n') + '\n');
      dispatch({ type: 'status', text: `exported ${path.relative(props.view.runDir, file)}` });
    } catch (err) {
      dispatch({ type: 'status', text: `export failed: ${(err as Error).message.split('\n')[0]}`, tone: 'error' });
    }
  };

  const { isRawModeSupported } = useStdin();
  useInput(
    (input: string, key: KeyInfo) => {
      if (matches('app.quit', input, key) || matches('app.stop', input, key))
        props.onExit(props.view.interrupted ? 130 : 0);
      else if (matches('accuracy.open', input, key)) dispatch({ type: 'open' });
      else if (matches('accuracy.back', input, key)) dispatch({ type: 'back' });
      else if (matches('accuracy.filter', input, key)) dispatch({ type: 'filter' });
      else if (matches('results.prevTask', input, key)) dispatch({ type: 'prevTab' });
      else if (matches('results.nextTask', input, key)) dispatch({ type: 'nextTab' });
      else if (matches('results.selectTask', input, key)) dispatch({ type: 'selectTab', index: Number(input) });
      else if (matches('results.colLeft', input, key)) dispatch({ type: 'colLeft' });
      else if (matches('results.colRight', input, key)) dispatch({ type: 'colRight' });
      else if (matches('results.sort', input, key)) dispatch({ type: 'sort' });
      else if (matches('results.reverse', input, key)) dispatch({ type: 'reverse' });
      else if (matches('results.scrollUp', input, key)) dispatch({ type: 'move', by: -1 });
      else if (matches('results.scrollDown', input, key)) dispatch({ type: 'move', by: 1 });
      else if (matches('results.pageUp', input, key)) dispatch({ type: 'move', by: -10 });
      else if (matches('results.pageDown', input, key)) dispatch({ type: 'move', by: 10 });
      else if (matches('results.export', input, key) || matches('results.exportAll', input, key)) exportScreen();
    },
    { isActive: isRawModeSupported },
  );
  return <ResultsFrame lines={layout.lines} theme={props.theme} />;
}
