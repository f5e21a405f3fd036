import { describe, expect, it } from 'vitest';
import { checkOpenFiles, filesNeeded, openFileLimits } from '../src/run/fd-limit.js';

describe('open file limit', () => {
  it('reads soft and hard limits from /proc/self/limits text', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\n';
    expect(openFileLimits(text)).toEqual([1024, 1048576]);
    expect(openFileLimits('Max open files unlimited unlimited files')).toEqual([Infinity, Infinity]);
  });
  it('counts one socket per slot, the threads and files of the tasks that run at once, and what is open now', () => {
    // On 2 cores: 10 slots → 10 + 1 thread × 5 + 8 = 23; 5000 → 5000 + 2 × 5 + 8 = 5018; 300 → 300 + 2 × 5 + 8 = 318; + 32 slack.
    expect(filesNeeded([10, 5000, 300], 1, 0, 2)).toBe(5018 + 32);
    expect(filesNeeded([10, 5000, 300], 2, 0, 2)).toBe(5018 + 318 + 32);
    expect(filesNeeded([10, 5000, 300], 2, 20, 2)).toBe(20 + 5018 + 318 + 32);
    // The embedded simulator's end of each socket is in this process too: 2 × 100 + 5 + 8 + 32.
    expect(filesNeeded([{ batch: 100, sim: true }], 1, 0, 2)).toBe(245);
  });
  it('names the limit and the ulimit to set when the soft limit is too low (exit 2)', () => {
    // 20 open + 10000 + 2 × 5 + 8 + 32 = 10070.
    expect(() => checkOpenFiles([10000], 1, [1024, 1048576], 20, 2)).toThrow(
      "--max-concurrency needs about 10070 open files (one socket per slot) but the open-file limit (ulimit -n) is 1024: run 'ulimit -n 10070' first, or lower --max-concurrency",
    );
    expect(() => checkOpenFiles([10000], 1, [1024, 4096], 20, 2)).toThrow('raise the hard limit (now 4096');
    try {
      checkOpenFiles([10000], 1, [1024, 4096], 20, 2);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
    expect(() => checkOpenFiles([64], 1, [1024, 4096], 20, 2)).not.toThrow();
  });
});
