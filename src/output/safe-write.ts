/**
 * Writes that replace a file go to a temporary file in the same folder and
 * are renamed over the old one (`atomically`, the library conf already uses:
 * temp file, fsync, rename, temp files purged on exit), so a full or
 * read-only disk leaves the old file whole instead of a 0-byte one. A failure
 * is one line naming the file and the reason (RuntimeError, exit 1).
 */
import { writeFile as atomicWrite, writeFileSync as atomicWriteSync } from 'atomically';
import { RuntimeError } from '../core/errors.js';

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

export function replaceFileSync(file: string, data: string | Uint8Array): void {
  try {
    atomicWriteSync(file, data, { tmpPurge: true });
  } catch (err) {
    throw writeError(file, err);
  }
}

export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await atomicWrite(file, data, { tmpPurge: true });
  } catch (err) {
    throw writeError(file, err);
  }
}
