import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import { isLoopbackHost, runSimCommand, simCommandOptions } from '../src/sim/index.js';
import { send } from './sim-client.js';

describe('aisbench-tui sim: arguments', () => {
  it('maps every flag to an option', () => {
    const o = simCommandOptions([
      '--port',
      '0',
      '--host',
      'localhost',
      '--model',
      'm',
      '--ttft',
      '50',
      '--itl',
      '10',
      '--jitter',
      '2',
      '--tokens-per-chunk',
      '4',
      '--prefill-rate',
      '8',
      '--output-min',
      '3',
      '--output-max',
      '9',
      '--seed',
      '5',
      '--fail-rate',
      '0.1',
      '--fail-status',
      '429',
      '--reset-rate',
      '0.2',
      '--garbage-rate',
      '0.3',
      '--stall-ms',
      '100',
      '--drip',
      '--no-done',
      '--huge-chunk',
      '65536',
      '--reasoning-tokens',
      '6',
    ]);
    expect(o).toEqual({
      port: 0,
      host: 'localhost',
      model: 'm',
      ttftMs: 50,
      itlMs: 10,
      jitterMs: 2,
      tokensPerChunk: 4,
      prefillTokensPerMs: 8,
      outputMin: 3,
      outputMax: 9,
      seed: 5,
      failRate: 0.1,
      failStatus: 429,
      resetRate: 0.2,
      garbageRate: 0.3,
      stallMs: 100,
      drip: true,
      noDone: true,
      hugeChunkBytes: 65536,
      reasoningTokens: 6,
      // The batch engine's knobs at their defaults (see sim-batch.test.ts).
      engine: 'fixed',
      maxNumSeqs: 256,
      maxBatchedTokens: 8192,
      stepBaseMs: 5,
      stepPerSeqMs: 0.1,
      kvBlocks: 8192,
      blockSize: 16,
      specTokens: 0,
      specAccept: 0.7,
      metricsDownAfterMs: 0,
    });
  });

  it('maps --answer-key and --accuracy', () => {
    expect(simCommandOptions(['--answer-key', 'k.jsonl', '--accuracy', '0.7'])).toMatchObject({
      answerKey: 'k.jsonl',
      accuracy: 0.7,
    });
  });

  it('defaults to port 8000, ttft 50 ms, itl 10 ms, no faults', () => {
    expect(simCommandOptions([])).toMatchObject({
      port: 8000,
      host: '127.0.0.1',
      ttftMs: 50,
      itlMs: 10,
      failRate: 0,
      drip: false,
      noDone: false,
    });
  });

  it.each([
    [['--ttft', 'abc'], /--ttft must be a number of ms >= 0 \(got "abc"\)/],
    [['--itl', '-1'], /--itl/],
    [['--port', '70000'], /--port must be an integer in 0\.\.65535/],
    [['--fail-rate', '1.5'], /--fail-rate must be a probability/],
    [['--accuracy', '1.2'], /--accuracy must be a probability/],
    [['--fail-status', '404'], /--fail-status must be 500, 429 or 503/],
    [['--tokens-per-chunk', '0'], /--tokens-per-chunk must be an integer >= 1/],
    [['--output-min', '10', '--output-max', '5'], /outputMin \(10\) is greater than outputMax \(5\)/],
    [['--host', '10.0.0.1'], /host 10\.0\.0\.1 is not a loopback address/],
    [['--host', '0.0.0.0'], /not a loopback address/],
    [['--bogus'], /unknown option '--bogus'/],
    [['extra'], /too many arguments|unexpected/i],
  ])('%j is a one-line UsageError', (argv, message) => {
    let err: unknown;
    try {
      simCommandOptions(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(message);
    expect((err as UsageError).message).not.toContain('\n');
    expect((err as UsageError).exitCode).toBe(2);
  });

  it('accepts loopback hosts only', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '128.0.0.1', '127.0.0.256', 'example.com', '::'].some(isLoopbackHost)).toBe(false);
  });
});

describe('aisbench-tui sim: running', () => {
  it('prints where it listens, serves, and stops with exit code 0', async () => {
    const lines: string[] = [];
    const ac = new AbortController();
    const done = runSimCommand(['sim', '--port', '0', '--ttft', '0', '--itl', '0'], {
      write: (l) => lines.push(l),
      signal: ac.signal,
    });
    await vi.waitFor(() =>
      expect(lines[0]).toMatch(/^simulator listening on http:\/\/127\.0\.0\.1:\d+ \(ttft 0 ms, itl 0 ms\)\n$/),
    );
    const url = /(http:\/\/\S+)/.exec(lines[0]!)![1]!;
    expect((await send(url, '/v1/models')).status).toBe(200);
    ac.abort();
    expect(await done).toBe(0);
    expect((await send(url, '/v1/models')).error).toBe('ECONNREFUSED');
  });

  it('prints help and returns 0', async () => {
    const lines: string[] = [];
    expect(await runSimCommand(['--help'], { write: (l) => lines.push(l) })).toBe(0);
    expect(lines.join('')).toMatch(/--tokens-per-chunk/);
  });
});
