/** The embedded OpenAI-compatible simulator (see server.ts). */
export { startSimulator, type SimServer, type SimStats } from './server.js';
export {
  resolveSimOptions,
  isLoopbackHost,
  SIM_DEFAULTS,
  type SimOptions,
  type ResolvedSimOptions,
} from './options.js';
export type { SimRequestLog, SimFault } from './request-log.js';
export { runSimCommand, simCommandOptions, simCommand, type SimCommandIo } from './command.js';
export { countWords, promptTokensOf, WORDS } from './tokens.js';
export { startBatchSimulator, type BatchSimOptions } from './batch/start.js';
export { BatchModel, stepMs, type BatchConfig, type BatchCounters } from './batch/model.js';
