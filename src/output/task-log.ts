/**
 * One log file per task: `<run>/logs/performance/<abbr>/<dataset>.out`, in
 * AISBench's line format. Lines are written synchronously so a crash loses
 * nothing already logged; known secrets are masked on the way out.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { redactText, registeredSecrets } from '../core/redact.js';
import { sanitizeText } from '../core/sanitize.js';
import { writeError } from '../core/write-error.js';
import type { RuntimeError } from '../core/errors.js';
import { RunLayout } from '../core/run-layout.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface TaskLog {
  /** Relative to the run folder: logs/performance/<abbr>/<dataset>.out */
  readonly path: string;
  /** Absolute path of the file. */
  readonly absPath: string;
  /** Set when a line could not be written (full or read-only disk); later lines are dropped. */
  readonly writeFailure?: RuntimeError;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  close(): void;
}

export interface TaskLogOptions {
  /** Secrets to mask besides the process-wide registered ones. */
  secrets?: string[];
  /** Also hand every (masked) line to this sink, e.g. stderr under --debug. */
  echo?: (line: string) => void;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2025-11-06 10:35:43,667` in local time, as AISBench logs it. */
export function logTimestamp(d = new Date()): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

/** `[2025-11-06 10:35:43,667] [aisbench-tui] [INFO] msg` */
export function formatLogLine(level: LogLevel, msg: string, d = new Date()): string {
  return `[${logTimestamp(d)}] [aisbench-tui] [${level}] ${msg}`;
}

export function openTaskLog(
  runDir: string,
  abbr: string,
  dataset: string,
  opts: TaskLogOptions = {},
  /** logs/<phase>/: performance, or infer / eval in the accuracy modes. */
  phase = 'performance',
): TaskLog {
  const rel = RunLayout.taskLog(abbr, dataset, phase);
  const abs = path.join(runDir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  let fd: number | undefined = openSync(abs, 'a');
  let writeFailure: RuntimeError | undefined;
  const write = (level: LogLevel, msg: string) => {
    // One line, no terminal control (the log is also echoed to stderr under --debug), secrets masked.
    const line = redactText(formatLogLine(level, sanitizeText(msg)), [...registeredSecrets(), ...(opts.secrets ?? [])]);
    if (fd !== undefined) {
      try {
        writeSync(fd, line + '\n');
      } catch (err) {
        // Not thrown from here (every part of a run logs): the run ends with this one line, exit 1.
        writeFailure ??= writeError(abs, err);
        fd = undefined;
      }
    }
    opts.echo?.(line);
  };
  return {
    path: rel,
    absPath: abs,
    get writeFailure() {
      return writeFailure;
    },
    debug: (m) => write('DEBUG', m),
    info: (m) => write('INFO', m),
    warn: (m) => write('WARNING', m),
    error: (m) => write('ERROR', m),
    close: () => {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}
