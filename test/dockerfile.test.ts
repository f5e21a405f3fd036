/**
 * The Dockerfile checked statically (#20). No Docker engine runs on the
 * development machine, so the image has never been built here; this test
 * checks what a build would need: every COPY'd path exists in the build
 * context (and .dockerignore does not drop it), the entrypoint is the
 * package's bin/ script, the build stage compiles from what it copied, and
 * `npm ci` + `npm prune --omit=dev` leave every package the compiled code
 * imports (the runtime dependencies are in `dependencies`, not devDependencies).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (f: string): string => readFileSync(path.join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions (comments and blank lines dropped, `\` continuations joined), with their stage index. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!, stage });
  }
  return out;
}

/** COPY sources from the build context (not `--from=` another stage). */
function contextCopies(ins: Instruction[]): string[] {
  const srcs: string[] = [];
  for (const i of ins) {
    if (i.op !== 'COPY' || /--from=/.test(i.args)) continue;
    const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
    srcs.push(...words.slice(0, -1));
  }
  return srcs;
}

/** Patterns of .dockerignore (simple names and globs without negation, as ours are). */
function ignored(p: string): boolean {
  const file = path.join(root, '.dockerignore');
  if (!existsSync(file)) return false;
  const top = p.replace(/^\.\//, '').split('/')[0]!;
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .some((pat) => {
      const re = new RegExp(`^${pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      return re.test(p) || re.test(top);
    });
}

/** Every .js file under dir. */
function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js') || e.name.endsWith('.mjs')) out.push(p);
  }
  return out;
}

/** Package names a module imports: static `from`, dynamic `import()`, `require()` and `.resolve()` of bare specifiers. */
export function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  // Static imports/re-exports only at the start of a statement (a comment saying "from 'go'" is not one),
  // side-effect imports, dynamic import(), require() and .resolve() of a specifier.
  const statics = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"\s]+)\1|^\s*import\s*(['"])([^'"\s]+)\3/gm;
  const calls = /(?:\bimport\s*\(\s*|\brequire\w*\s*\(\s*|\.resolve\s*\(\s*)(['"])([^'"\s]+)\1/g;
  const specs = [
    ...[...code.matchAll(statics)].map((m) => m[2] ?? m[4]!),
    ...[...code.matchAll(calls)].map((m) => m[2]!),
  ];
  for (const spec of specs) {
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    // `.resolve('some message')` of a Promise is not a module: package names have no spaces and are lower case.
    if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(name)) continue;
    names.add(name);
  }
  return names;
}

describe('Dockerfile (static: the image is never built on this machine)', () => {
  const ins = parseDockerfile(read('Dockerfile'));

  it('two stages; every COPY from the build context exists and is not dropped by .dockerignore', () => {
    expect(ins.filter((i) => i.op === 'FROM')).toHaveLength(2);
    const srcs = contextCopies(ins);
    // package.json, package-lock.json, tsconfig.json, src, package.json, bin, themes, src/config/builtin
    expect(srcs.length).toBeGreaterThanOrEqual(7);
    for (const s of srcs) {
      expect(existsSync(path.join(root, s)), `COPY ${s}`).toBe(true);
      expect(ignored(s), `COPY ${s} is in .dockerignore`).toBe(false);
    }
    // The run stage reads themes and the built-in configs from disk (ui/theme.ts, config/registry.ts).
    const runStage = contextCopies(ins.filter((i) => i.stage === 1));
    expect(runStage).toEqual(expect.arrayContaining(['bin', 'themes', 'src/config/builtin', 'package.json']));
    expect(statSync(path.join(root, 'src/config/builtin/models')).isDirectory()).toBe(true);
  });

  it('the entrypoint runs the package bin script, which loads dist/ (built in the first stage)', () => {
    const ep = ins.filter((i) => i.op === 'ENTRYPOINT');
    expect(ep).toHaveLength(1);
    const argv = JSON.parse(ep[0]!.args) as string[];
    expect(argv[0]).toBe('node');
    const script = argv[1]!.replace(/^\/app\//, '');
    expect(Object.values(pkg.bin)).toContain(script);
    expect(read(script)).toMatch(/\.\.\/dist\/cli\/main\.js/);
    expect(ins.some((i) => i.op === 'COPY' && /--from=build\s+\/app\/dist\s/.test(i.args))).toBe(true);
    expect(ins.some((i) => i.op === 'COPY' && /--from=build\s+\/app\/node_modules\s/.test(i.args))).toBe(true);
  });

  it('the build stage compiles from what it copied: tsconfig extends nothing and includes only src/', () => {
    const ts = JSON.parse(read('tsconfig.json')) as {
      extends?: string;
      include: string[];
      compilerOptions: { outDir: string };
    };
    expect(ts.extends).toBeUndefined();
    for (const inc of ts.include) expect(inc.startsWith('src/')).toBe(true);
    expect(ts.compilerOptions.outDir).toBe('dist');
    const build = ins
      .filter((i) => i.stage === 0)
      .map((i) => `${i.op} ${i.args}`)
      .join('\n');
    // npm ci before the sources: scripts off (prepare would compile with no sources yet), then tsc, then prune.
    expect(build).toMatch(/RUN npm ci --ignore-scripts/);
    expect(build).toMatch(/npx tsc -p tsconfig\.json && npm prune --omit=dev/);
  });

  it('npm ci works from the lock file: it lists exactly the dependencies of package.json', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
    };
    const rootPkg = lock.packages[''];
    expect(rootPkg?.dependencies).toEqual(pkg.dependencies);
    expect(rootPkg?.devDependencies).toEqual(pkg.devDependencies);
  });

  it('after npm prune --omit=dev every package the compiled code and bin/ import is still there', () => {
    const dist = path.join(root, 'dist');
    expect(existsSync(path.join(dist, 'cli', 'main.js')), 'run npm run build first').toBe(true);
    const used = new Set<string>();
    for (const f of [...jsFiles(dist), ...jsFiles(path.join(root, 'bin'))]) {
      for (const n of importedPackages(readFileSync(f, 'utf8'))) used.add(n);
    }
    const builtins = new Set(builtinModules);
    // A few modules are resolved from inside a dependency (createRequire of ink for its chalk, of
    // blessed-contrib for drawille): those must be in the lock's production tree (no "dev": true,
    // which is what npm prune --omit=dev removes).
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const inProdTree = (n: string): boolean =>
      Object.entries(lock.packages).some(([k, v]) => k.endsWith(`node_modules/${n}`) && v.dev !== true);
    const missing = [...used].filter((n) => !builtins.has(n) && pkg.dependencies[n] === undefined && !inProdTree(n));
    expect(missing).toEqual([]);
    // Dev-only packages never reach the image: none may be imported.
    expect([...used].filter((n) => pkg.devDependencies[n] !== undefined)).toEqual([]);
    // The scan does see the main runtime packages (a scan that found nothing would pass vacuously).
    for (const n of ['ink', 'react', 'undici', 'tdigest', 'commander']) expect(used.has(n), n).toBe(true);
  });

  it('the import scan: bare specifiers only, scoped names kept whole, subpaths cut', () => {
    const code = [
      "import a from 'ink';",
      'import { x } from "react/jsx-runtime";',
      "await import('@lenml/tokenizers');",
      "import b from './local.js';",
      "import c from 'node:fs';",
      "r.resolve('uplot/dist/uPlot.iife.min.js'); p.resolve('request body is bad')",
      "/** The run's t = 0, from 'go'. */",
      "export { y } from 'zod';",
      "import 'signal-exit';",
    ].join('\n');
    expect([...importedPackages(code)].sort()).toEqual([
      '@lenml/tokenizers',
      'ink',
      'react',
      'signal-exit',
      'uplot',
      'zod',
    ]);
  });
});
