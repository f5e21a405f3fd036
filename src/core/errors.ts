/**
 * Errors meant for the user: printed as one line (`aisbench-tui: <message>`),
 * never with a stack trace unless --debug. Exit code 2 for usage and config
 * errors, 1 for runtime failures. Per-request failures are not these: they are
 * `ErrorCode`s on records (engine/types.ts).
 */

/** Exit 2: the command line, a config file or an input file is wrong. */
export type UsageErrorCode =
  | 'E_USAGE' // command line
  | 'E_CONFIG' // a model/dataset config file
  | 'E_DATASET' // a dataset file or generator setting
  | 'E_TOKENIZER' // --tokenizer / tokenizer.json
  | 'E_THEME' // --theme / a theme file
  | 'E_EXPORT_FORMAT' // --export
  | 'E_REUSE' // --reuse: no such run, or one that cannot be reused
  | 'E_NO_DETAILS' // perf_viz: the run has no details to recompute from
  | 'E_SHARDS'; // --shard / merge: shards that do not fit together

/** Exit 1: something failed while running. */
export type RuntimeErrorCode =
  | 'E_RUNTIME'
  | 'E_CONNECT' // the server cannot be reached
  | 'E_NO_MODEL' // the server lists no model to take a name from
  | 'E_LISTEN' // a server of ours could not listen
  | 'E_PORT_IN_USE'
  | 'E_PORT_ACCESS'
  | 'E_SIM' // the embedded simulator failed
  | 'E_NOFILE' // too few file descriptors for the concurrency asked
  | 'E_WRITE' // a file cannot be written (full or read-only disk, permissions)
  | 'E_WORK_DIR'; // the run folder cannot be created

/**
 * Every code a `UserError` carries. A new one is added here, with what it
 * means. The class, not the code, decides the exit code, so either class takes
 * any code (a --reuse run that turns out unreadable is a runtime error).
 */
export type UserErrorCode = UsageErrorCode | RuntimeErrorCode;

export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code. */
    readonly exitCode: 1 | 2,
    /** Stable code, for tests and logs. */
    readonly code: UserErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command line, unknown name, invalid config: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, code: UserErrorCode = 'E_USAGE') {
    super(message, 2, code);
  }
}

/** Something failed while running (unreachable server, port in use, I/O): exit 1. */
export class RuntimeError extends UserError {
  constructor(message: string, code: UserErrorCode = 'E_RUNTIME') {
    super(message, 1, code);
  }
}
