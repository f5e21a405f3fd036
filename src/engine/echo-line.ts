/**
 * The details line of a request that carries an `echo` (the accuracy modes):
 * the echo's fields, the usual details fields (details-codec.ts), then the
 * prompt and the server's full output. Written by the worker with one
 * O_APPEND write, so a crash keeps every finished request's line
 * (scoring/predictions.ts reads them back).
 */
import { encodeRecord } from './details-codec.js';
import type { RequestRecord, RequestSpec } from './types.js';

export function echoLine(rec: RequestRecord, spec: RequestSpec, text: string): string {
  const details = encodeRecord(rec);
  const echo = JSON.stringify(spec.echo ?? {});
  const prompt = JSON.stringify(spec.messages ?? spec.prompt ?? '');
  return `{${echo.slice(1, -1)},${details.slice(1, -1)},"prompt":${prompt},"output":${JSON.stringify(text)}}`;
}
