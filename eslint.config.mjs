// ESLint: the recommended rules of ESLint and typescript-eslint, plus the type-aware rules
// that catch promises nobody awaits or handles. Prettier owns the formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', '**/dist/', 'node_modules/', 'data/', 'src/server/*/public/', '**/*.mjs', '!examples/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and benchmarks read GraphQL answers as untyped JSON and reach into them by the
    // query's shape; `any` is allowed there. src/ names its types instead.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The examples are plain JavaScript that runs as it is: Node scripts, and one page's script.
    files: ['examples/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['examples/browser/deliveries.mjs'],
    languageOptions: { globals: globals.browser },
  },
);
