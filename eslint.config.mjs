// ESLint flat config: typescript-eslint's recommended rules plus the type-aware rules that catch
// promises nobody awaits (a floating upload, an async callback where a sync one is expected).
// `npm run lint`; CI runs it before the tests (.ci/run).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'bin/', 'dist/', 'policies/node_modules/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Constructor types such as `new (...args: any[]) => Resource` are how TypeScript spells "any class".
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      // require() only where a module must load late: the Pulumi runtime (over a second) when a plan is
      // built, and the program itself, afresh, after the mocks are set. `import()` cannot replace it:
      // `node -r tsx/cjs` (mocha, the policy pack) hooks require() only.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/plan/run-plan$', '^\\.\\./index$'] }],
    },
  },
  {
    // Tests walk plan JSON, Pulumi args and SDK payloads in assertions, where a wrong guess about a
    // shape fails the assertion anyway; typing each one would add casts, not safety.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS JavaScript (mocha's reporter): require() is its import statement.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', console: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
