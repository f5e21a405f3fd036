/**
 * The README's "Running against a server" commands, run as written against
 * the embedded simulator on the URL they name's place (127.0.0.1:8000 → the
 * simulator's port), bounded with --num-prompts and --no-tui. Commands with
 * `...` (placeholders) and the long-running `sim` are left to their own tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as runCli } from './cli-helpers.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-readme-'));

/** The `npx aisbench-tui` commands of the README block after `heading`, continuation lines joined. */
function readmeCommands(heading: string): string[] {
  const text = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = text.indexOf(heading);
  const block = text.slice(text.indexOf('```sh', from) + 5, text.indexOf('```', text.indexOf('```sh', from) + 5));
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('npx aisbench-tui'));
}

/** The README's commands run from the repository root, colour settings as the user's. */
const cli = (args: string[]) => runCli(args, ROOT, { timeoutMs: 120_000, noColor: false });

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1 });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('README: running against a server', () => {
  const cmds = readmeCommands('## Running against a server');
  it('has the commands this test expects to run', () => {
    expect(cmds.filter((c) => !c.includes('...') && !c.includes(' sim ')).length).toBeGreaterThanOrEqual(5);
  });
  for (const cmd of cmds) {
    if (cmd.includes('...') || cmd.includes(' sim ')) continue;
    it(
      cmd,
      async () => {
        const args = cmd
          .replace(/^npx aisbench-tui\s*/, '')
          .replaceAll('http://127.0.0.1:8000', sim.url)
          .split(/\s+/)
          .filter(Boolean);
        const perfViz = args.includes('perf_viz');
        const extra = args.includes('--search')
          ? []
          : ['--no-tui', '-w', tmp, ...(perfViz ? [] : ['--num-prompts', '20'])];
        const r = await cli([...args, ...extra]);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
        expect(r.code, r.stderr).toBe(0);
      },
      120_000,
    );
  }
});
