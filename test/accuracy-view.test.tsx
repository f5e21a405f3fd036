import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { evaluateTask, predictionsPath } from '../src/scoring/eval.js';
import type { AccuracyView as Data } from '../src/scoring/view.js';
import { buildSummary } from '../src/scoring/summary.js';
import { stripAnsi } from '../src/ui/results/ansi.js';
import { AccuracyView } from '../src/ui/accuracy/AccuracyView.js';
import { initialAccuracyState, reduceAccuracy } from '../src/ui/accuracy/state.js';
import { loadTheme } from '../src/ui/theme.js';

const theme = loadTheme('default', {});
const RIGHT = '\u001B[C';
const ESC = '\u001B';
const tmp = mkdtempSync(path.join(tmpdir(), 'acc-view-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const qa = [
  { id: 0, question: 'Capital of France?', reference: 'Paris' },
  { id: 1, question: 'Colour of the sky?', reference: 'blue' },
  { id: 2, question: 'Legs of a spider?', reference: '8' },
];
const qa2 = [{ id: 0, question: 'Opposite of up?', reference: 'down' }];

function writePreds(abbr: string, dataset: string, lines: object[]): void {
  const f = predictionsPath(tmp, abbr, dataset);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
const ok = (sample: number, reference: string, output: string, question: string) => ({
  sample,
  replica: 0,
  reference,
  ok: true,
  att: 1,
  prompt: [{ role: 'user', content: question }],
  output,
});

function fixture(): Data {
  writePreds('model-a', 'qa', [
    ok(0, 'Paris', 'Paris', qa[0]!.question),
    ok(1, 'blue', 'green', qa[1]!.question),
    ok(2, '8', '8', qa[2]!.question),
  ]);
  writePreds('model-a', 'qa2', [ok(0, 'down', 'sideways', qa2[0]!.question)]);
  writePreds('model-b', 'qa', [
    // A hostile answer: a window-title OSC and a clear-screen CSI around the text.
    ok(0, 'Paris', '\u001B]0;pwned\u0007Paris\u001B[2J', qa[0]!.question),
    {
      sample: 1,
      replica: 0,
      reference: 'blue',
      ok: false,
      code: 'E_HTTP_500',
      msg: 'HTTP 500: boom',
      att: 1,
      prompt: [{ role: 'user', content: qa[1]!.question }],
      output: '',
    },
    ok(2, '8', '8', qa[2]!.question),
  ]);
  writePreds('model-b', 'qa2', [ok(0, 'down', 'down', qa2[0]!.question)]);
  const results = [
    ['model-a', 'qa', qa],
    ['model-a', 'qa2', qa2],
    ['model-b', 'qa', qa],
    ['model-b', 'qa2', qa2],
  ].map(([abbr, dataset, samples]) =>
    evaluateTask({
      runDir: tmp,
      abbr: abbr as string,
      dataset: dataset as string,
      kind: 'qa',
      samples: samples as typeof qa,
      numReturn: 1,
    }),
  );
  return { runDir: tmp, summary: buildSummary(results), results, files: ['summary/summary_x.txt'], interrupted: false };
}

function setup() {
  const onExit = vi.fn();
  const app = render(<AccuracyView view={fixture()} theme={theme} onExit={onExit} width={110} height={40} />);
  const frame = (): string => stripAnsi(app.lastFrame() ?? '');
  const ready = () => vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
  return { app, onExit, frame, ready };
}

const rowsOrder = (f: string) =>
  f.split('\n').flatMap((l) => (/^(qa2?) +\w{6} +accuracy/.exec(l)?.[1] ?? []) as string[]);

describe('accuracy results view', () => {
  it('summary: models as columns, numeric sort both ways, export with e', async () => {
    const { app, frame, ready } = setup();
    await ready();
    // model-a: qa 2 of 3 right = 66.67, qa2 0 of 1; model-b: qa 1 of 3 (one failed) = 33.33, qa2 1 of 1.
    await vi.waitFor(() => expect(frame()).toMatch(/^qa +\w{6} +accuracy +gen +66\.67 +33\.33$/m));
    expect(frame()).toMatch(/^qa2 +\w{6} +accuracy +gen +0\.00 +100\.00$/m);
    expect(frame()).toMatch(/dataset +version +metric +mode +model-a +model-b/);
    for (let i = 0; i < 4; i++) app.stdin.write(RIGHT);
    app.stdin.write('s'); // model-a, highest first
    await vi.waitFor(() => expect(frame()).toContain('model-a▼'));
    expect(rowsOrder(frame())).toEqual(['qa', 'qa2']);
    app.stdin.write('S');
    await vi.waitFor(() => expect(frame()).toContain('model-a▲'));
    expect(rowsOrder(frame())).toEqual(['qa2', 'qa']);
    app.stdin.write(RIGHT);
    app.stdin.write('s'); // model-b, highest first: qa2 (100) then qa (33.33)
    await vi.waitFor(() => expect(frame()).toContain('model-b▼'));
    expect(rowsOrder(frame())).toEqual(['qa2', 'qa']);
    app.stdin.write('e');
    const file = path.join(tmp, 'summary', 'summary_screen.txt');
    await vi.waitFor(() => expect(frame()).toContain('exported summary/summary_screen.txt'));
    expect(readFileSync(file, 'utf8')).toMatch(/^qa2 +\w{6} +accuracy +gen +0\.00 +100\.00$/m);
    app.unmount();
  });

  it('sample browser: filter, open a sample (sanitised), failed ones, back, quit', async () => {
    const { app, frame, ready, onExit } = setup();
    await ready();
    app.stdin.write('3'); // model-b/qa
    await vi.waitFor(() => expect(frame()).toContain('all 3'));
    expect(frame()).toMatch(/correct 1 +wrong 1 +failed 1/);
    app.stdin.write('f'); // correct
    await vi.waitFor(() => expect(frame()).toMatch(/^2 +0 +correct +8 +8 +8/m));
    app.stdin.write('f'); // wrong
    await vi.waitFor(() => expect(frame()).toMatch(/^0 +0 +wrong /m));
    app.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Reference: Paris'));
    expect(frame()).toContain('Capital of France?');
    expect(frame()).toMatch(/Output:\n +Paris/);
    // The escape sequences never reach the terminal, nor their payload.
    expect(app.lastFrame()).not.toContain('\u001B]');
    expect(app.lastFrame()).not.toContain('\u001B[2J');
    expect(frame()).not.toContain('pwned');
    app.stdin.write(ESC);
    await vi.waitFor(() => expect(frame()).not.toContain('Reference: Paris'));
    app.stdin.write('f'); // failed
    await vi.waitFor(() => expect(frame()).toMatch(/^1 +0 +failed /m));
    app.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('E_HTTP_500'));
    expect(frame()).toContain('Extracted: (no answer)');
    app.stdin.write('e');
    await vi.waitFor(() => expect(existsSync(path.join(tmp, 'results', 'model-b', 'qa_screen.txt'))).toBe(true));
    app.stdin.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(0));
    app.unmount();
  });

  it('the reducer: tabs wrap, back goes list → summary, sort only on the summary', () => {
    const lim = { tasks: 2, cols: 6, rows: 3, maxScroll: 0 };
    let s = reduceAccuracy(initialAccuracyState, { type: 'prevTab' }, lim);
    expect(s.tab).toBe(2);
    s = reduceAccuracy(s, { type: 'open' }, lim);
    expect(s.open).toBe(0);
    s = reduceAccuracy(s, { type: 'back' }, lim);
    expect([s.tab, s.open]).toEqual([2, null]);
    expect(reduceAccuracy(s, { type: 'sort' }, lim)).toBe(s);
    s = reduceAccuracy(s, { type: 'back' }, lim);
    expect(s.tab).toBe(0);
    s = reduceAccuracy(s, { type: 'sort' }, lim);
    expect([s.sortCol, s.sortDesc]).toEqual([0, false]);
  });
});
