import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Two projects: everything in parallel, then the timing-sensitive end-to-end
// files (test/timing/) one at a time, so parallel suites do not steal the
// cores whose latencies they measure.
export default defineConfig({
  test: {
    root,
    // CI runs `bash .ci/run` with CI=true; Ink reads it at import time and then
    // draws only the last frame, which the Ink and terminal tests must not see.
    env: { CI: 'false' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root,
          // Two files at a time on any machine: most files wait on servers, timers and terminals rather than
          // compute, and Vitest's default (cores - 1) runs them one by one on a 2-core box (596 s vs the 10-minute
          // budget). Timing checks are loose bounds, held under two CPU burners.
          maxWorkers: 2,
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/timing/**', '**/node_modules/**', 'dist/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          root,
          include: ['test/timing/**/*.test.{ts,tsx}'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
