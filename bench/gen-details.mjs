#!/usr/bin/env node
// Writes a realistic details file (the format of src/engine/details-codec.ts)
// of R requests × T output tokens, using the compiled codec from dist/.
//
//   node bench/gen-details.mjs --requests R --output-tokens T [--input-tokens I]
//        [--concurrency C] [--out FILE] [--seed S]
//
// The load is a closed loop of C slots (a new request 0.2–1 ms after the
// previous one in its slot ends). TTFT grows with input length and queueing
// (~300–700 ms), ITL is ~20 ms with triangular ±1.5 ms jitter, a slow drift
// per request, and spikes (1 gap in 200 is 3–10× longer, as a batch
// rescheduling would cause). 0.2 % of requests fail (HTTP 503, no tokens).
import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000' },
    'output-tokens': { type: 'string', default: '1024' },
    'input-tokens': { type: 'string', default: '4096' },
    concurrency: { type: 'string', default: '512' },
    out: { type: 'string', default: 'bench/out/details.jsonl' },
    seed: { type: 'string', default: '1' },
  },
});
const R = Number(a.requests);
const T = Number(a['output-tokens']);
const IN = Number(a['input-tokens']);
const C = Number(a.concurrency);

const { encodeRecord } = await import(new URL('../dist/engine/details-codec.js', import.meta.url).href);

// xorshift32: fast and seeded, so a cached file can be regenerated identically.
let s = Number(a.seed) >>> 0 || 1;
const rand = () => {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return s / 4294967296;
};

const slots = new Float64Array(C); // when each slot is free, ms
const gaps = new Uint32Array(Math.max(0, T - 1));
const fd = openSync(a.out, 'w');
let pending = [];
let pendingBytes = 0;
const flush = () => {
  writeSync(fd, pending.join(''));
  pending = [];
  pendingBytes = 0;
};
const t = Date.now();
for (let i = 0; i < R; i++) {
  // The earliest free slot (linear scan is fine at C ≤ a few thousand).
  let k = 0;
  for (let j = 1; j < C; j++) if (slots[j] < slots[k]) k = j;
  const sched = -1;
  const t0 = Math.round((slots[k] + 0.2 + rand() * 0.8) * 1000) / 1000;
  const fail = rand() < 0.002;
  let rec;
  if (fail) {
    const end = Math.round((t0 + 5 + rand() * 20) * 1000) / 1000;
    rec = {
      id: i,
      turn: 0,
      ok: false,
      code: 'E_HTTP_503',
      message: 'HTTP 503: Service Unavailable',
      attempts: 1,
      sched,
      t0,
      ttft: NaN,
      e2el: NaN,
      end,
      gapsUs: new Uint32Array(0),
      chunkTokens: null,
      inTok: 0,
      outTok: 0,
      usage: false,
    };
    slots[k] = end;
  } else {
    const ttft = Math.round((300 + IN * 0.05 + rand() * 200 + rand() * 200) * 1000) / 1000;
    const base = 19000 + rand() * 2000; // µs, this request's typical decode step
    let sum = 0;
    for (let g = 0; g < gaps.length; g++) {
      let v = base + (rand() + rand() - 1) * 1500;
      if (rand() < 0.005) v *= 3 + rand() * 7;
      const x = Math.round(v);
      gaps[g] = x;
      sum += x;
    }
    const e2el = Math.round((ttft + sum / 1000) * 1000) / 1000;
    const end = Math.round((t0 + e2el + 0.05 + rand() * 0.2) * 1000) / 1000;
    rec = {
      id: i,
      turn: 0,
      ok: true,
      attempts: 1,
      sched,
      t0,
      ttft,
      e2el,
      end,
      gapsUs: gaps,
      chunkTokens: null,
      inTok: IN,
      outTok: T,
      usage: true,
    };
    slots[k] = end;
  }
  const line = encodeRecord(rec) + '\n';
  pending.push(line);
  pendingBytes += line.length;
  if (pendingBytes > 16 << 20) flush();
  if (i % 25000 === 24999)
    process.stderr.write(`gen: ${i + 1}/${R} requests, ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}
flush();
closeSync(fd);
