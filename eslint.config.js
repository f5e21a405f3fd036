// Lint: ESLint 9 (flat config) with typescript-eslint and React's hooks rules.
// Why ESLint + typescript-eslint rather than Biome: its type-aware rules
// (floating or misused promises, awaiting a non-promise) catch the bugs this
// codebase can actually have (a lost rejection in the run loop or a worker),
// and it is the reference linter for TypeScript. Only rules that catch bugs
// are on; style rules are off. Layout is Prettier's job (.prettierrc.json,
// `npm run format`; `npm run format:check` runs in `npm test`), so the two
// never disagree.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'outputs/**', 'coverage/**'] },
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      // tsconfig.test.json covers src/ and test/, so one program serves both.
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // A promise nobody awaits or catches loses its error or crashes the process.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'react-hooks/rules-of-hooks': 'error',
      // Unused code is an error; `_name` marks a parameter kept for its position,
      // and `React` is imported by .tsx files for the type namespace.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^(_|React$)', caughtErrors: 'none' },
      ],
      // Style, not bugs: `any` at JSON and browser boundaries, ANSI escapes in
      // regexes, and `a(), b()` statements (the rule cannot tell them from a
      // forgotten call; tsc's unused-expression checks still apply).
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // Test servers answer from async socket handlers on purpose; a rejection
    // there fails the test anyway. In src/ the same pattern loses the error.
    files: ['test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }] },
  },
  // Files written before the linter disable rules it does not enable: not worth a warning.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
);
