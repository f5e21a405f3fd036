/**
 * The one-line error for a file that cannot be written: `cannot write <file>:
 * <reason> (<CODE>)`, RuntimeError, exit 1. Here rather than beside the atomic
 * writer (output/safe-write.ts, which needs an npm package) because the engine's
 * worker reports a details-file write failure with it too.
 */
import { RuntimeError } from './errors.js';

export const WRITE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'a file of that name exists',
  EISDIR: 'it is a directory',
  ENOENT: 'its folder does not exist',
  EIO: 'input/output error',
};

/** `cannot write <file>: <reason> (<CODE>)`, exit 1. */
export function writeError(file: string, err: unknown): RuntimeError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const why = WRITE_REASONS[code] ?? ((err as Error)?.message?.split('\n')[0] || 'error');
  return new RuntimeError(`cannot write ${file}: ${why}${code ? ` (${code})` : ''}`, 'E_WRITE');
}
