#!/usr/bin/env node
// SSE parser cost alone: CPU ns per event (process CPU time, so a loaded
// machine's preemption does not count) on a vLLM-shaped chat stream of 1,000
// text events between a role chunk and a usage chunk; best of 7 runs.
//   node bench/sse-parser.mjs [dist folder, default ./dist]
// Ends with: sse-parser: ns_per_event=X
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const { SseTokenParser } = await import(pathToFileURL(path.join(dist, 'engine/sse.js')).href);
const head =
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1732000000,"model":"Qwen2.5-7B","choices":[{"index":0,"delta":';
const ev = (c) => `data: ${head}{"content":${JSON.stringify(c)}},"logprobs":null,"finish_reason":null}]}\n\n`;
const reads = [
  Buffer.from(`data: ${head}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`),
];
for (let i = 0; i < 1000; i++) reads.push(Buffer.from(ev(' tok' + (i % 50))));
reads.push(
  Buffer.from(
    'data: {"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":1000}}\n\ndata: [DONE]\n\n',
  ),
);
let best = Infinity;
for (let run = 0; run < 7; run++) {
  const c0 = process.cpuUsage();
  for (let s = 0; s < 200; s++) {
    const p = new SseTokenParser();
    for (let i = 0; i < reads.length; i++) p.push(reads[i], i);
    p.end(reads.length);
  }
  const c = process.cpuUsage(c0);
  best = Math.min(best, ((c.user + c.system) * 1000) / (200 * reads.length));
}
console.log(`sse-parser: ns_per_event=${best.toFixed(1)}`);
