/**
 * Filler text for synthetic prompts. Without a tokenizer a prompt of N
 * "tokens" is N words separated by single spaces: the embedded simulator
 * counts whitespace-separated words as tokens, so N is exact there, and for
 * real servers it is an approximation (English words average ~1.3 tokens).
 */
import type { Rng } from '../core/random.js';

/** Short, common English words: most are one token in BPE vocabularies. */
export const WORDS: readonly string[] = (
  'the of and to in is was for that on as with by at from his her they this are had not but be one ' +
  'all were which she when we there can an your their has more if will out so up said what about into ' +
  'than them only other new some could time these two may first then do any like my now over such our ' +
  'man me even most made after also did many before must through back years where much way well down ' +
  'should because each just those people how too little state good very make world still own see men ' +
  'work long get here between both life being under never day same another know while last might us ' +
  'great old year off come since against go came right used take three house small found part again ' +
  'place week case point group number night water room mother area money story fact month lot book eye ' +
  'job word side kind head far black white red blue green light hand high school river city tree stone ' +
  'road field paper music table window garden market bridge letter voice power party game line body ' +
  'open close start stop turn move play run walk read write speak hear keep hold bring carry build cut'
).split(' ');

/** `n` words drawn from WORDS, joined by single spaces ('' for n ≤ 0). */
export function randomWords(n: number, rng: Rng, pool: readonly string[] = WORDS): string {
  if (n <= 0) return '';
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = pool[Math.floor(rng.next() * pool.length)]!;
  return out.join(' ');
}

/** Whitespace-separated words in `s`: the simulator's token count. */
export function countWords(s: string): number {
  const t = s.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}
