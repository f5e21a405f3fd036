/**
 * Folder dependencies of src/ (issue 19): no import against the layer order
 * in test/folder-deps.ts and no cycle between folders, except today's known
 * violations listed below. The list only shrinks: a pair that no longer has
 * a forbidden import fails the test until it is deleted. Between folders,
 * only the public entry points (PUBLIC in test/folder-deps.ts) are imported.
 */
import { cpSync, mkdirSync, mkdtempSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFolders, checkPublic, LAYERS, PUBLIC } from './folder-deps.js';

/**
 * Known violations, as folder pairs (issue 19 removed the last of them;
 * the list only shrinks, so a new forbidden import is fixed, not listed).
 */
const ALLOWED: readonly string[] = [];

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
    put(
      'core/c.ts',
      "import { z } from 'zod';\nimport { x } from '../engine/x.js';\nimport path from 'node:path';\nexport { z, x, path };\n",
    );
    put('engine/x.ts', 'export const x = 1;\n');
    const v = checkFolders(root, LAYERS, ['engine -> cli']);
    expect(v.cycles).toEqual([['alpha', 'beta']]);
    expect(v.forbidden).toEqual(['src/core/c.ts -> src/engine/x.ts']);
    expect(v.stale).toEqual(['engine -> cli']);
    expect(v.corePackages).toEqual(['src/core/c.ts -> zod']);
  });

  it('src/ imports only the public entry points of other folders, and every entry point is imported', () => {
    const v = checkPublic('src', PUBLIC);
    expect(v.internal, "imports of another folder's internals (see PUBLIC in test/folder-deps.ts)").toEqual([]);
    expect(v.stale, 'PUBLIC entries no other folder imports: delete them').toEqual([]);
  });

  it("fails when a copy of src/ imports another folder's internal file", () => {
    const copy = path.join(tmp, 'src-public');
    cpSync('src', copy, { recursive: true });
    // Layer-legal (ui/ is above engine/) but worker.ts is the worker thread's own entry, no entry point.
    appendFileSync(path.join(copy, 'ui', 'theme.ts'), "\nimport '../engine/worker.js';\n");
    const before = checkPublic('src', PUBLIC).internal;
    const v = checkPublic(copy, PUBLIC);
    expect(checkFolders(copy, LAYERS, ALLOWED).forbidden).toEqual(checkFolders('src', LAYERS, ALLOWED).forbidden);
    expect(v.internal).toEqual(
      [
        ...before,
        "src/ui/theme.ts -> src/engine/worker.ts (not an entry point of engine/: import one, or declare 'worker.ts' under engine in PUBLIC, test/folder-deps.ts)",
      ].sort(),
    );
  });

  it('reports an internal import and a stale or deleted public entry in a fixture', () => {
    const root = path.join(tmp, 'fixture-public');
    const put = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    put('core/c.ts', 'export const c = 1;\n');
    put('engine/types.ts', "import { c } from '../core/c.js';\nexport type T = typeof c;\n");
    put('engine/helper.ts', 'export const h = 2;\n');
    put('engine/old.ts', 'export const o = 3;\n');
    put(
      'run/r.ts',
      "import type { T } from '../engine/types.js';\nimport { h } from '../engine/helper.js';\nexport const r: T = h;\n",
    );
    const v = checkPublic(root, { core: 'all', engine: ['types.ts', 'old.ts', 'gone.ts'], run: [] });
    expect(v.internal).toEqual([
      "src/run/r.ts -> src/engine/helper.ts (not an entry point of engine/: import one, or declare 'helper.ts' under engine in PUBLIC, test/folder-deps.ts)",
    ]);
    // old.ts exists but nothing outside engine/ imports it; gone.ts does not exist.
    expect(v.stale).toEqual(['engine: old.ts', 'engine: gone.ts']);
  });
});
