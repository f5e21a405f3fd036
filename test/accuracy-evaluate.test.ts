import { describe, expect, it } from 'vitest';
import {
  choiceExtract,
  choiceJudge,
  gsm8kExtract,
  gsm8kJudge,
  normalizeAnswer,
  qaJudge,
} from '../src/scoring/evaluate.js';
import { gsm8kReference } from '../src/datasets/accuracy/gsm8k-number.js';
import { avgAtN, consensus, passAtK, percent } from '../src/scoring/metrics.js';

describe('gsm8k', () => {
  it('reads the reference after ####, commas removed', () => {
    expect(gsm8kReference('4 * 25 = 100\n#### 63')).toBe('63');
    expect(gsm8kReference('work\n#### 1,234')).toBe('1234');
    expect(gsm8kReference('#### -7')).toBe('-7');
    expect(gsm8kReference('no marker 12')).toBeNull();
  });
  it('takes the last number of the output', () => {
    expect(gsm8kExtract('6 * 8 = 48, 48 - 29 = 19.\nThe answer is 19')).toBe('19');
    // Said twice: still the last one.
    expect(gsm8kExtract('The answer is 19. So the answer is 19.')).toBe('19');
    // Changes its mind: the last one wins.
    expect(gsm8kExtract('The answer is 12. Wait, it is 14')).toBe('14');
  });
  it('handles units, currency, commas and decimals', () => {
    expect(gsm8kExtract('He pays $1,200.00 in total')).toBe('1200');
    expect(gsm8kExtract('It takes 18 dollars')).toBe('18');
    expect(gsm8kExtract('The answer is 50%')).toBe('50');
    expect(gsm8kExtract('temperature drops to -3 degrees')).toBe('-3');
  });
  it('uses only what follows the last ####, and stops at a new Question:', () => {
    expect(gsm8kExtract('3 + 4 = 7 and 2 more\n#### 9')).toBe('9');
    expect(gsm8kExtract('So 5 apples.\n\nQuestion: Tom has 8 pens')).toBe('5');
  });
  it('no number = no answer = wrong', () => {
    expect(gsm8kExtract('I do not know')).toBeNull();
    expect(gsm8kJudge('I do not know', '5')).toEqual({ extracted: null, correct: false });
  });
  it('compares numerically', () => {
    expect(gsm8kJudge('The answer is 18.0', '18').correct).toBe(true);
    expect(gsm8kJudge('The answer is 1,234', '1234').correct).toBe(true);
    expect(gsm8kJudge('The answer is 17', '18')).toEqual({ extracted: '17', correct: false });
  });
});

describe('multiple choice', () => {
  it('explicit statements, the last one counts', () => {
    expect(choiceExtract('The answer is B')).toBe('B');
    expect(choiceExtract('Answer: (C)')).toBe('C');
    expect(choiceExtract('I first thought the answer is A, but the answer is D.')).toBe('D');
    expect(choiceExtract('答案是C')).toBe('C');
    expect(choiceExtract('答案：B')).toBe('B');
    expect(choiceExtract('所以选D')).toBe('D');
    expect(choiceExtract('The correct option B fits')).toBe('B');
  });
  it('a leading letter', () => {
    expect(choiceExtract('B')).toBe('B');
    expect(choiceExtract('B. Because water boils at 100 C')).toBe('B');
    expect(choiceExtract('(A) it is')).toBe('A');
    expect(choiceExtract('**C**')).toBe('C');
  });
  it('one lone letter anywhere; two is no answer; words are not letters', () => {
    expect(choiceExtract('I pick C.')).toBe('C');
    expect(choiceExtract('Either A or B')).toBeNull();
    expect(choiceExtract('a cat sat')).toBeNull();
    expect(choiceExtract('the answer is a dog')).toBeNull();
    expect(choiceExtract('')).toBeNull();
  });
  it('only the given letters', () => {
    expect(choiceExtract('The answer is E')).toBeNull();
    expect(choiceExtract('The answer is E', 'ABCDE')).toBe('E');
  });
  it('judges against the reference letter', () => {
    expect(choiceJudge('The answer is b? no, B', 'B').correct).toBe(true);
    expect(choiceJudge('A', 'b')).toEqual({ extracted: 'A', correct: false });
  });
});

describe('custom_qa', () => {
  it('normalises as SQuAD does', () => {
    expect(normalizeAnswer('  The  Eiffel Tower! ')).toBe('eiffel tower');
    expect(normalizeAnswer('Ｐａｒｉｓ')).toBe('paris');
  });
  it('exact match after normalisation', () => {
    expect(qaJudge('Paris.', 'paris').correct).toBe(true);
    expect(qaJudge('It is Paris', 'Paris').correct).toBe(false);
    expect(qaJudge('   ', 'Paris')).toEqual({ extracted: null, correct: false });
  });
  it('a regex picks the answer out of the output', () => {
    const re = /answer:\s*(.+)/i;
    expect(qaJudge('Let me think. Answer: The Paris', 'paris')).toEqual({
      extracted: 'Let me think. Answer: The Paris',
      correct: false,
    });
    expect(qaJudge('Let me think. Answer: The Paris', 'paris', re)).toEqual({ extracted: 'The Paris', correct: true });
    expect(qaJudge('no marker here', 'paris', re)).toEqual({ extracted: null, correct: false });
  });
});

describe('repeated-sampling metrics (hand-computed)', () => {
  it('pass@k', () => {
    expect(passAtK(4, 1, 1)).toBeCloseTo(0.25, 12); // 1 - C(3,1)/C(4,1) = 1 - 3/4
    expect(passAtK(4, 1, 4)).toBe(1); // n - c = 3 < 4
    expect(passAtK(4, 0, 4)).toBe(0);
    expect(passAtK(4, 2, 2)).toBeCloseTo(5 / 6, 12); // 1 - C(2,2)/C(4,2) = 1 - 1/6
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12); // 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(() => passAtK(2, 1, 4)).toThrow();
  });
  it('avg@n and cons@n on a 4-question fixture', () => {
    const q = [
      { c: [true, false, false, false], x: ['5', '3', '3', '7'] },
      { c: [true, true, true, false], x: ['8', '8', '8', '9'] },
      { c: [false, true, true, false], x: ['2', '9', '9', '1'] },
      { c: [false, false, false, false], x: [null, '1', '2', null] },
    ];
    const votes = q.map((s) => s.c.map((c, i) => ({ correct: c, extracted: s.x[i]! })));
    expect(q.map((s) => avgAtN(s.c))).toEqual([0.25, 0.75, 0.5, 0]);
    expect(votes.map((v) => consensus(v))).toEqual([
      { extracted: '3', correct: false }, // 3 has two votes
      { extracted: '8', correct: true },
      { extracted: '9', correct: true },
      { extracted: '1', correct: false }, // 1 and 2 tie: the first seen wins; nulls do not vote
    ]);
    // avg@4 = (0.25 + 0.75 + 0.5 + 0) / 4 = 37.5 %
    expect(percent(q.map((s) => avgAtN(s.c)))).toBeCloseTo(37.5, 10);
    // pass@4 = (1 + 1 + 1 + 0) / 4 = 75 %
    expect(percent(q.map((s) => passAtK(4, s.c.filter(Boolean).length, 4)))).toBeCloseTo(75, 10);
    // pass@2: Q1 1 - C(3,2)/C(4,2) = 0.5, Q2 1, Q3 5/6, Q4 0 → 2.3333/4 = 58.333 %
    expect(percent(q.map((s) => passAtK(4, s.c.filter(Boolean).length, 2)))).toBeCloseTo(58.3333333, 5);
    // cons@4 = (0 + 1 + 1 + 0) / 4 = 50 %
    expect(percent(votes.map((v) => (consensus(v).correct ? 1 : 0)))).toBe(50);
    expect(consensus([])).toEqual({ extracted: null, correct: false });
  });
});
