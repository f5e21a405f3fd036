import { describe, expect, it } from 'vitest';
import { loadSamples, subjectOf } from '../src/datasets/accuracy/samples.js';
import { questionCandidates, samplePrompt, sampleSpec } from '../src/datasets/accuracy/prompts.js';
import { UsageError } from '../src/core/errors.js';

const F = 'fixtures/accuracy';

function errorOf(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    return e as UsageError;
  }
  throw new Error('no error');
}

describe('accuracy datasets', () => {
  it('gsm8k: reference = the number after ####', () => {
    const s = loadSamples('gsm8k', 'src/config/builtin/data/demo_gsm8k.jsonl');
    expect(s).toHaveLength(200);
    // First line: 11 * 13 = 143, 143 - 43 = 100.
    expect(s[0]).toMatchObject({ id: 0, reference: '100' });
    expect(loadSamples('gsm8k', 'src/config/builtin/data/demo_gsm8k.jsonl', 5)).toHaveLength(5);
  });
  it('multiple choice: a folder of subject files merged, header row or none', () => {
    const s = loadSamples('choice', `${F}/mmlu`);
    expect(s.map((x) => [x.id, x.subject, x.reference])).toEqual([
      [0, 'astronomy', 'B'],
      [1, 'astronomy', 'C'],
      [2, 'astronomy', 'B'],
      [3, 'virology', 'B'],
      [4, 'virology', 'A'],
    ]);
    expect(s[2]!.question).toBe('What is a light-year a unit of, in astronomy?');
    expect(s[3]!.options).toEqual({ A: 'E. coli', B: 'Influenza', C: 'Yeast', D: 'Plasmodium' });
    expect(subjectOf('x/abstract_algebra_test.csv')).toBe('abstract_algebra');
  });
  it('custom_qa: JSONL, numbers become text', () => {
    expect(loadSamples('qa', `${F}/qa.jsonl`).map((x) => x.reference)).toEqual(['Paris', 'blue', '8']);
  });
  it('bad files: one line naming file and line, exit code 2', () => {
    const a = errorOf(() => loadSamples('gsm8k', `${F}/bad/malformed.jsonl`));
    expect(a.message).toBe(`dataset ${F}/bad/malformed.jsonl: line 2: invalid JSON`);
    expect(a.exitCode).toBe(2);
    expect(errorOf(() => loadSamples('qa', `${F}/bad/no-answer.jsonl`)).message).toBe(
      `dataset ${F}/bad/no-answer.jsonl: line 2: missing "answer"`,
    );
    expect(errorOf(() => loadSamples('choice', `${F}/bad/bad-letter.csv`)).message).toBe(
      `dataset ${F}/bad/bad-letter.csv: line 2: unknown answer letter "E" (expected A, B, C or D)`,
    );
    expect(errorOf(() => loadSamples('choice', `${F}/bad/unclosed.csv`)).message).toMatch(
      /^dataset fixtures\/accuracy\/bad\/unclosed\.csv: line 2: malformed CSV \(Quote Not Closed/,
    );
    expect(errorOf(() => loadSamples('gsm8k', `${F}/qa.jsonl`)).message).toBe(
      `dataset ${F}/qa.jsonl: line 1: "answer" has no "#### <number>"`,
    );
    expect(errorOf(() => loadSamples('qa', `${F}/nope.jsonl`)).message).toBe(`dataset ${F}/nope.jsonl: not found`);
  });
  it('the question can be found again inside its prompt', () => {
    const g = loadSamples('gsm8k', 'src/config/builtin/data/demo_gsm8k.jsonl', 1)[0]!;
    const chat = samplePrompt('gsm8k', g, false) as Array<{ content: string }>;
    expect(questionCandidates(chat.at(-1)!.content)).toContain(g.question);
    expect(questionCandidates(samplePrompt('gsm8k', g, true) as string)).toContain(g.question);
    const c = loadSamples('choice', `${F}/mmlu`)[3]!;
    const p = samplePrompt('choice', c, true) as string;
    expect(p).toContain('\nA. E. coli\nB. Influenza\nC. Yeast\nD. Plasmodium\nAnswer:');
    expect(questionCandidates(p)).toContain(c.question);
  });
  it('sampleSpec: a qa sample as one request, chat or completions', () => {
    const s = { id: 4, question: 'Capital of France?', reference: 'Paris' };
    // qa prompt = the question itself; chat wraps it as one user turn, completions sends the string.
    expect(sampleSpec(7, 'qa', s, false, { api: 'chat', maxOutLen: 32 })).toEqual({
      id: 7,
      turn: 0,
      maxOutLen: 32,
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    expect(sampleSpec(7, 'qa', s, true, { api: 'completions', maxOutLen: 32 })).toEqual({
      id: 7,
      turn: 0,
      maxOutLen: 32,
      prompt: 'Capital of France?',
    });
  });
});
