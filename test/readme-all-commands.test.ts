/**
 * Every command block of the README is accounted for (#18): each ```sh block
 * carries a marker comment just above it, and this test fails on a block
 * without one, so a new example cannot drift unnoticed:
 *   <!-- readme-test: run -->            every command is run here;
 *   <!-- readme-test: run 1-4 (why) -->  those commands (1-based) are run here, the note says why not the rest;
 *   <!-- readme-test: by test/x.ts -->   another test runs these commands (the file must exist);
 *   <!-- readme-test: skip (why) -->     not run, with the reason (a cluster, a non-loopback server...).
 * Commands run here as written, with the same documented bounds as
 * test/readme-commands.test.ts: the URL http://127.0.0.1:8000 becomes a
 * simulator's on 127.0.0.1, and `--no-tui -w <tmp>` plus `--num-prompts 20`
 * are appended; they must exit 0 with no stack trace. Commands of one block run
 * in order in one folder (`--reuse` finds the run before it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli as runCli } from './cli-helpers.js';
import { startSimulator, type SimServer } from '../src/sim/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'aisb-readme-all-'));

interface Block {
  /** Line of the ```sh fence (1-based). */
  line: number;
  marker: string | null;
  /** Commands, continuation lines joined, comments dropped. */
  commands: string[];
}

function readmeBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```sh') continue;
    const end = lines.indexOf('```', i + 1);
    const body = lines
      .slice(i + 1, end)
      .join('\n')
      .replace(/\\\n\s*/g, ' ');
    const commands = body
      .split('\n')
      .map((l) => l.replace(/\s+#\s.*$/, '').trim())
      .filter((l) => l && !l.startsWith('#'));
    const m = /^<!-- readme-test: (.*) -->$/.exec(lines[i - 1]?.trim() ?? '');
    out.push({ line: i + 1, marker: m ? m[1]! : null, commands });
    i = end;
  }
  return out;
}

/** Which commands (0-based) a marker asks this test to run. */
function toRun(b: Block): number[] {
  const m = /^run(?: ([\d,-]+) \(.+\))?$/.exec(b.marker ?? '');
  if (!m) return [];
  if (!m[1]) return b.commands.map((_, i) => i);
  return m[1].split(',').flatMap((part) => {
    const [a, z] = part.split('-').map(Number);
    return Array.from({ length: (z ?? a!) - a! + 1 }, (_, k) => a! - 1 + k);
  });
}

const blocks = readmeBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const cli = (args: string[], cwd: string) => runCli(args, cwd, { timeoutMs: 120_000 });

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ ttftMs: 5, itlMs: 1 });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('README: every command block', () => {
  it('every sh block has a marker, skips say why, and "by" names an existing test', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    for (const b of blocks) {
      expect(b.marker, `README.md:${b.line}: a sh block without <!-- readme-test: ... -->`).not.toBeNull();
      expect(b.marker, `README.md:${b.line}`).toMatch(/^(run|run [\d,-]+ \(.+\)|by test\/\S+|skip \(.+\))$/);
      const by = /^by (test\/\S+)$/.exec(b.marker!);
      if (by) expect(existsSync(path.join(ROOT, by[1]!)), by[1]).toBe(true);
      for (const i of toRun(b))
        expect(b.commands[i], `README.md:${b.line}: command ${i + 1}`).toMatch(/^npx aisbench-tui /);
    }
  });

  for (const b of blocks) {
    const run = toRun(b);
    if (run.length === 0) continue;
    it(`README.md:${b.line}: ${run.length} command(s) exit 0`, async () => {
      const cwd = mkdtempSync(path.join(tmp, 'block-'));
      for (const i of run) {
        const cmd = b.commands[i]!;
        const args = cmd
          .replace(/^npx aisbench-tui\s*/, '')
          .replaceAll('http://127.0.0.1:8000', sim.url)
          .split(/\s+/)
          .filter(Boolean);
        const reuse = args.includes('--reuse');
        const r = await cli([...args, '--no-tui', '-w', 'out', ...(reuse ? [] : ['--num-prompts', '20'])], cwd);
        expect(r.stderr, cmd).not.toMatch(/internal error|\n\s+at /);
        expect(r.code, `${cmd}\n${r.stderr}`).toBe(0);
      }
    }, 240_000);
  }
});
