import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endTornLine, pendingPairs } from '../src/accuracy/infer.js';
import { predictionLine, readPredictions } from '../src/scoring/predictions.js';
import type { RequestRecord } from '../src/engine/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'acc-pred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (ok: boolean): RequestRecord => ({
  id: 7,
  turn: 0,
  ok,
  attempts: 1,
  sched: -1,
  t0: 1.5,
  ttft: ok ? 20 : NaN,
  e2el: ok ? 30 : NaN,
  end: 31.5,
  gapsUs: new Uint32Array(ok ? [10_000] : []),
  chunkTokens: null,
  kinds: null,
  first: ok ? 20 : NaN,
  inTok: 12,
  outTok: ok ? 2 : 0,
  usage: true,
  ...(ok ? {} : { code: 'E_HTTP_500' as const, message: 'HTTP 500: boom' }),
});
const samples = [0, 1, 2].map((id) => ({ id, question: `q${id}`, reference: String(id) }));

describe('predictions file', () => {
  it('a line holds the echo, the timing, the prompt and the full output', () => {
    const spec = {
      id: 7,
      maxOutLen: 8,
      messages: [{ role: 'user' as const, content: 'q1' }],
      echo: { sample: 1, replica: 0, reference: '1' },
    };
    const p = JSON.parse(predictionLine(rec(true), spec, 'the answer\n#### 1'));
    expect(p).toMatchObject({
      sample: 1,
      replica: 0,
      reference: '1',
      id: 7,
      ok: true,
      att: 1,
      t0: 1.5,
      ttft: 20,
      e2el: 30,
      in: 12,
      out: 2,
    });
    expect(p.prompt).toEqual([{ role: 'user', content: 'q1' }]);
    expect(p.output).toBe('the answer\n#### 1');
    const f = JSON.parse(predictionLine(rec(false), { ...spec, echo: { sample: 2, replica: 0, reference: '2' } }, ''));
    expect(f).toMatchObject({ sample: 2, ok: false, code: 'E_HTTP_500', msg: 'HTTP 500: boom' });
  });

  it('a torn last line is skipped, ended before appending, and its sample is sent again', () => {
    const file = path.join(dir, 'p.json');
    const spec = (s: number) => ({
      id: s,
      maxOutLen: 8,
      prompt: `q${s}`,
      echo: { sample: s, replica: 0, reference: String(s) },
    });
    const good = predictionLine(rec(true), spec(0), '0');
    const failed = predictionLine(rec(false), spec(1), '');
    const torn = predictionLine(rec(true), spec(2), '2').slice(0, 40); // SIGKILL mid-write
    writeFileSync(file, `${good}\n${failed}\n${torn}`);
    const read = readPredictions(file);
    expect([read.lines, read.torn, [...read.latest.keys()]]).toEqual([2, 1, ['0:0', '1:0']]);
    // Resume sends what has no line; retest sends what failed.
    expect(pendingPairs(file, samples, 1, { resume: true, retestFailed: false }).map(([s]) => s.id)).toEqual([2]);
    expect(pendingPairs(file, samples, 1, { resume: true, retestFailed: true }).map(([s]) => s.id)).toEqual([1]);
    expect(
      pendingPairs(file, samples, 2, { resume: true, retestFailed: false }).map(([s, r]) => `${s.id}:${r}`),
    ).toEqual(['0:1', '1:1', '2:0', '2:1']);
    endTornLine(file);
    writeFileSync(file, predictionLine(rec(true), spec(2), '2') + '\n', { flag: 'a' });
    const after = readPredictions(file);
    expect([after.lines, after.torn]).toEqual([3, 1]);
    expect(after.latest.get('2:0')?.output).toBe('2');
    endTornLine(file); // already ends in a newline: unchanged
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });
});
