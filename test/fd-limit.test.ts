import { describe, expect, it } from 'vitest';
import { checkOpenFiles, filesNeeded, openFileLimits } from '../src/run/fd-limit.js';

describe('open file limit', () => {
  it('reads soft and hard limits from /proc/self/limits text', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\n';
    expect(openFileLimits(text)).toEqual([1024, 1048576]);
    expect(openFileLimits('Max open files unlimited unlimited files')).toEqual([Infinity, Infinity]);
  });
  it('counts sockets of the tasks that run at once', () => {
    expect(filesNeeded([10, 5000, 300], 1)).toBe(5128);
    expect(filesNeeded([10, 5000, 300], 2)).toBe(5428);
  });
  it('names the ulimit to set when the soft limit is too low', () => {
    expect(() => checkOpenFiles([10000], 1, [1024, 1048576])).toThrow("run 'ulimit -n 10128' first");
    expect(() => checkOpenFiles([10000], 1, [1024, 4096])).toThrow('raise the hard limit (now 4096)');
    expect(() => checkOpenFiles([64], 1, [1024, 4096])).not.toThrow();
  });
});
