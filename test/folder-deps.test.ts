/**
 * Folder dependencies of src/ (issue 19): no import against the layer order
 * in test/folder-deps.ts and no cycle between folders, except today's known
 * violations listed below. The list only shrinks: a pair that no longer has
 * a forbidden import fails the test until it is deleted.
 */
import { cpSync, mkdirSync, mkdtempSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFolders, LAYERS } from './folder-deps.js';

/**
 * Known violations, as folder pairs (issue 19 removed the last of them;
 * the list only shrinks, so a new forbidden import is fixed, not listed).
 */
const ALLOWED: readonly string[] = [
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'folder-deps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('folder dependencies', () => {
  it('src/ keeps the layer order, has no folder cycle and no stale allowlist entry', () => {
    const v = checkFolders('src', LAYERS, ALLOWED);
    expect(v.forbidden, 'imports against the layer order (see LAYERS in test/folder-deps.ts)').toEqual([]);
    expect(v.cycles, 'folder cycles').toEqual([]);
    expect(v.stale, 'allowlist entries to delete').toEqual([]);
    expect(v.corePackages, 'npm packages imported by src/core').toEqual([]);
  });

  it('fails when a forbidden import is added to a copy of src/', () => {
    const copy = path.join(tmp, 'src');
    cpSync('src', copy, { recursive: true });
    // The engine must not know the UI: clock.ts is as low as a file gets.
    appendFileSync(path.join(copy, 'engine', 'clock.ts'), "\nimport '../ui/theme.js';\n");
    const before = checkFolders('src', LAYERS, ALLOWED).forbidden;
    const v = checkFolders(copy, LAYERS, ALLOWED);
    expect(v.forbidden).toEqual([...before, 'src/engine/clock.ts -> src/ui/theme.ts'].sort());
  });

  it('reports a cycle between folders outside the layers, a stale entry and a package in core', () => {
    const root = path.join(tmp, 'fixture');
    const put = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    put('alpha/a.ts', "import { b } from '../beta/b.js';\nexport const a = (): number => b + 1;\n");
    put('beta/b.ts', "import type { A } from '../alpha/types.js';\nexport const b: A = 1;\n");
    put('alpha/types.ts', 'export type A = number;\n');
    put('core/c.ts', "import { z } from 'zod';\nimport { x } from '../engine/x.js';\nimport path from 'node:path';\nexport { z, x, path };\n");
    put('engine/x.ts', 'export const x = 1;\n');
    const v = checkFolders(root, LAYERS, ['engine -> cli']);
    expect(v.cycles).toEqual([['alpha', 'beta']]);
    expect(v.forbidden).toEqual(['src/core/c.ts -> src/engine/x.ts']);
    expect(v.stale).toEqual(['engine -> cli']);
    expect(v.corePackages).toEqual(['src/core/c.ts -> zod']);
  });
});
