/**
 * Writes that replace a file go to a temporary file in the same folder and
 * are renamed over the old one (`atomically`, the library conf already uses:
 * temp file, fsync, rename, temp files purged on exit), so a full or
 * read-only disk leaves the old file whole instead of a 0-byte one. A failure
 * is one line naming the file and the reason (core/write-error.ts, exit 1).
 */
import { writeFile as atomicWrite, writeFileSync as atomicWriteSync } from 'atomically';
import { writeError } from '../core/write-error.js';

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
