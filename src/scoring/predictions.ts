/**
 * `predictions/<abbr>/<dataset>.json`: one JSON object per line (JSON Lines,
 * under AISBench's file name), appended by the engine's worker threads the
 * moment each request finishes, with one write per line in O_APPEND mode, so
 * a crash or SIGKILL keeps every finished request and at worst tears the last
 * line (the reader skips a torn line). A resumed or retested sample adds a
 * new line; the last line of a (sample, replica) wins.
 *
 * A line: `sample, replica, reference` (from the request's echo), the
 * request's details fields (`id` = send index, `ok`, `code`, `msg`, `att`,
 * `t0`, `ttft`, `e2el`, `end` in ms, `in`, `out` tokens, ... see
 * engine/details-codec.ts), then `prompt` (chat messages or the completions
 * string) and `output` (the server's full text).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ChatMessage } from '../engine/types.js';
import { echoLine } from '../engine/echo-line.js';

/** Fields an accuracy request carries through the engine into its prediction line. */
export interface PredictionEcho {
  sample: number;
  replica: number;
  reference: string;
}

export interface Prediction extends PredictionEcho {
  ok: boolean;
  code?: string;
  msg?: string;
  att: number;
  ttft: number | null;
  e2el: number | null;
  in: number;
  out: number;
  prompt: ChatMessage[] | string;
  output: string;
}

/** The line a worker appends for an accuracy request (no trailing newline): engine/echo-line.ts. */
export const predictionLine = echoLine;

export interface PredictionFile {
  /** Latest line of each (sample, replica), keyed `sample:replica`. */
  latest: Map<string, Prediction>;
  /** Lines read (a resumed sample counts each time). */
  lines: number;
  /** Lines that could not be parsed (a line torn by a crash). */
  torn: number;
}

export const predKey = (sample: number, replica: number): string => `${sample}:${replica}`;

export function readPredictions(file: string): PredictionFile {
  const out: PredictionFile = { latest: new Map(), lines: 0, torn: 0 };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let p: Prediction;
    try {
      p = JSON.parse(line) as Prediction;
    } catch {
      out.torn++;
      continue;
    }
    if (typeof p.sample !== 'number' || typeof p.replica !== 'number') {
      out.torn++;
      continue;
    }
    out.lines++;
    out.latest.set(predKey(p.sample, p.replica), p);
  }
  return out;
}
