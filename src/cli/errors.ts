/**
 * Errors meant for the user: printed as one line (`aisbench-tui: <message>`),
 * never with a stack trace unless --debug. Exit code 2 for usage and config
 * errors, 1 for runtime failures.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code. */
    readonly exitCode: 1 | 2,
    /** Stable code, e.g. 'E_USAGE', 'E_CONFIG', 'E_DATASET', 'E_PORT_IN_USE'. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command line, unknown name, invalid config: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, code = 'E_USAGE') {
    super(message, 2, code);
  }
}

/** Something failed while running (unreachable server, port in use, I/O): exit 1. */
export class RuntimeError extends UserError {
  constructor(message: string, code = 'E_RUNTIME') {
    super(message, 1, code);
  }
}
