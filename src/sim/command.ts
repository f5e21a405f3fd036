/** The `aisbench-tui sim` subcommand: run the simulator alone until SIGINT/SIGTERM. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.js';
import { untilStopped } from './until-stopped.js';
import { resolveSimOptions, type SimOptions } from './options.js';
import { startSimulator } from './server.js';
import { readTlsPair } from './tls-files.js';
import { isClusterWorker, reportToPrimary, runSimCluster, takeProcesses } from './cluster.js';

function num(flag: string, check: (v: number) => boolean, what: string) {
  return (raw: string): number => {
    const v = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v) || !check(v)) throw new InvalidArgumentError(`${flag} must be ${what} (got "${raw}")`);
    return v;
  };
}
const ms = (flag: string) => num(flag, (v) => v >= 0, 'a number of ms >= 0');
const count = (flag: string) => num(flag, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
const prob = (flag: string) => num(flag, (v) => v >= 0 && v <= 1, 'a probability in [0, 1]');

/** The commander definition of `sim` (also used for its --help). */
export function simCommand(): Command {
  return new Command('sim')
    .description('run the embedded OpenAI-compatible simulator on a loopback address')
    .option(
      '--port <port>',
      'TCP port (0 = ephemeral)',
      num('--port', (v) => Number.isInteger(v) && v >= 0 && v <= 65535, 'an integer in 0..65535'),
      8000,
    )
    .option('--host <host>', 'loopback address: 127.x.x.x, localhost or ::1', '127.0.0.1')
    .option('--model <name>', 'served model name', 'sim-model')
    .option('--ttft <ms>', 'time to first token (ms)', ms('--ttft'), 50)
    .option('--itl <ms>', 'inter-token latency (ms per token)', ms('--itl'), 10)
    .option('--jitter <ms>', 'uniform jitter (ms, +/-) on every event', ms('--jitter'), 0)
    .option('--tokens-per-chunk <k>', 'tokens per SSE event', count('--tokens-per-chunk'), 1)
    .option(
      '--prefill-rate <tokPerMs>',
      'adds prompt tokens / rate (tokens/ms) to the TTFT; 0 = off',
      ms('--prefill-rate'),
      0,
    )
    .option('--output-min <n>', 'shortest output (tokens) without ignore_eos', count('--output-min'), 16)
    .option('--output-max <n>', 'longest output (tokens) without ignore_eos', count('--output-max'), 128)
    .option('--seed <n>', 'random seed', num('--seed', Number.isInteger, 'an integer'), 1)
    .option('--fail-rate <p>', 'probability of answering an error status', prob('--fail-rate'), 0)
    .option(
      '--fail-status <status>',
      'status of those errors: 500, 429 or 503',
      num('--fail-status', (v) => v === 500 || v === 429 || v === 503, '500, 429 or 503'),
      500,
    )
    .option('--reset-rate <p>', 'probability of cutting the connection mid-stream', prob('--reset-rate'), 0)
    .option('--garbage-rate <p>', 'probability of a malformed data: line mid-stream', prob('--garbage-rate'), 0)
    .option('--stall-ms <ms>', 'pause once mid-stream (ms)', ms('--stall-ms'), 0)
    .option('--drip', 'write one byte per write', false)
    .option('--no-done', 'end streams without data: [DONE]')
    .option(
      '--reasoning-tokens <n>',
      'chat answers send their first N tokens as reasoning_content deltas',
      num('--reasoning-tokens', (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0'),
      0,
    )
    .option('--processes <k>', 'K simulator processes sharing the port (node cluster)')
    .option(
      '--huge-chunk <bytes>',
      'one event of this many bytes mid-stream',
      num('--huge-chunk', (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0'),
      0,
    )
    .option(
      '--engine <name>',
      'fixed (every answer on its own schedule) or batch (continuous-batching model, GET /metrics)',
      (v: string) => {
        if (v !== 'fixed' && v !== 'batch')
          throw new InvalidArgumentError(`--engine must be fixed or batch (got "${v}")`);
        return v;
      },
      'fixed',
    )
    .option('--max-num-seqs <n>', 'batch: most sequences per step', count('--max-num-seqs'), 256)
    .option(
      '--max-batched-tokens <n>',
      'batch: token budget per step (chunked prefill)',
      count('--max-batched-tokens'),
      8192,
    )
    .option('--step-base-ms <ms>', 'batch: fixed time of a step', ms('--step-base-ms'), 5)
    .option('--step-per-seq-ms <ms>', 'batch: time per running sequence in a step', ms('--step-per-seq-ms'), 0.1)
    .option('--kv-blocks <n>', 'batch: KV cache blocks', count('--kv-blocks'), 8192)
    .option('--block-size <n>', 'batch: tokens per KV block', count('--block-size'), 16)
    .option(
      '--spec-tokens <k>',
      'batch: speculative draft tokens per step (0 = off)',
      num('--spec-tokens', (v) => Number.isInteger(v) && v >= 0 && v <= 16, 'an integer in 0..16'),
      0,
    )
    .option('--spec-accept <p>', 'batch: acceptance probability of each draft token', prob('--spec-accept'), 0.7)
    .option(
      '--metrics-down-after <s>',
      'GET /metrics answers 503 this many seconds after its first request (0 = never)',
      num('--metrics-down-after', (v) => v >= 0, 'a number of seconds >= 0'),
      0,
    )
    .option(
      '--answer-key <file>',
      'answer questions of this dataset file (GSM8K/custom_qa JSONL, multiple-choice CSV or folder)',
    )
    .option('--accuracy <p>', 'with --answer-key: probability of a correct answer', prob('--accuracy'), 1)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
}

/** Parses `sim` arguments (without the word `sim`) into SimOptions; throws UsageError. */
export function simCommandOptions(argv: string[]): SimOptions {
  const cmd = simCommand();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Our own argument checks already name the flag and the value: drop commander's preamble.
      const line =
        err.message
          .replace(/^error: /, '')
          .split('\n', 1)[0]
          ?.replace(/^option '[^']*' argument '[^']*' is invalid\. /, '') ?? '';
      throw new UsageError(`sim: ${line}`);
    }
    throw err;
  }
  const f = cmd.opts();
  const opts: SimOptions = {
    host: f.host,
    port: f.port,
    model: f.model,
    ttftMs: f.ttft,
    itlMs: f.itl,
    jitterMs: f.jitter,
    tokensPerChunk: f.tokensPerChunk,
    prefillTokensPerMs: f.prefillRate,
    outputMin: f.outputMin,
    outputMax: f.outputMax,
    seed: f.seed,
    failRate: f.failRate,
    failStatus: f.failStatus,
    resetRate: f.resetRate,
    garbageRate: f.garbageRate,
    stallMs: f.stallMs,
    drip: f.drip,
    noDone: f.done === false,
    hugeChunkBytes: f.hugeChunk,
    reasoningTokens: f.reasoningTokens,
    engine: f.engine,
    maxNumSeqs: f.maxNumSeqs,
    maxBatchedTokens: f.maxBatchedTokens,
    stepBaseMs: f.stepBaseMs,
    stepPerSeqMs: f.stepPerSeqMs,
    kvBlocks: f.kvBlocks,
    blockSize: f.blockSize,
    specTokens: f.specTokens,
    specAccept: f.specAccept,
    metricsDownAfterMs: f.metricsDownAfter * 1000,
    ...(f.answerKey !== undefined ? { answerKey: f.answerKey, accuracy: f.accuracy } : {}),
  };
  const tls = readTlsPair(f.tlsCert, f.tlsKey);
  if (tls) opts.tls = tls;
  const checked = resolveSimOptions(opts);
  if (typeof checked === 'string') throw new UsageError(`sim: ${checked}`);
  return opts;
}

function describe(o: SimOptions): string {
  if (o.engine === 'batch') {
    const parts = [
      `batch engine: step ${o.stepBaseMs} ms + ${o.stepPerSeqMs} ms/seq`,
      `max ${o.maxNumSeqs} seqs`,
      `${o.kvBlocks}x${o.blockSize} KV`,
    ];
    if (o.prefillTokensPerMs) parts.push(`prefill ${o.prefillTokensPerMs} tokens/ms`);
    if (o.specTokens) parts.push(`spec ${o.specTokens} x ${o.specAccept}`);
    return parts.join(', ');
  }
  const parts = [`ttft ${o.ttftMs} ms`, `itl ${o.itlMs} ms`];
  if (o.jitterMs) parts.push(`jitter ±${o.jitterMs} ms`);
  if (o.tokensPerChunk !== 1) parts.push(`${o.tokensPerChunk} tokens/chunk`);
  if (o.failRate) parts.push(`fail ${o.failRate} (${o.failStatus})`);
  if (o.resetRate) parts.push(`reset ${o.resetRate}`);
  if (o.garbageRate) parts.push(`garbage ${o.garbageRate}`);
  if (o.stallMs) parts.push(`stall ${o.stallMs} ms`);
  if (o.drip) parts.push('drip');
  if (o.noDone) parts.push('no [DONE]');
  if (o.hugeChunkBytes) parts.push(`huge chunk ${o.hugeChunkBytes} B`);
  if (o.answerKey) parts.push(`answer key ${o.answerKey} at accuracy ${o.accuracy}`);
  return parts.join(', ');
}

export interface SimCommandIo {
  /** Where the status line goes. Default process.stdout. */
  write?: (line: string) => void;
  /**
   * Stops the simulator when aborted. The CLI passes the one from
   * run/controller.ts (SIGINT/SIGTERM); without one (a script calling this
   * directly) SIGINT and SIGTERM stop it.
   */
  signal?: AbortSignal;
}

/** Runs `aisbench-tui sim ...` until SIGINT/SIGTERM (or io.signal); returns the exit code. Throws UserError. */
export async function runSimCommand(argv: string[], io: SimCommandIo = {}): Promise<number> {
  const write = io.write ?? ((line: string) => process.stdout.write(line));
  const args = argv[0] === 'sim' ? argv.slice(1) : argv;
  if (args.includes('--help') || args.includes('-h')) {
    write(simCommand().helpInformation());
    return 0;
  }
  const { processes, rest } = takeProcesses(args);
  const opts = simCommandOptions(rest);
  if (processes > 1 && !isClusterWorker()) return runSimCluster(rest, processes, write, describe(opts), io.signal);
  const sim = await startSimulator(opts);
  const worker = isClusterWorker();
  if (!worker) write(`simulator listening on ${sim.url} (${describe(opts)})\n`);
  await untilStopped(io.signal);
  await sim.close();
  if (worker) await reportToPrimary(sim.stats().requests);
  else write(`simulator stopped after ${sim.stats().requests} requests\n`);
  return 0;
}
