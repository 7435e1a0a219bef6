// Lint: typescript-eslint's strict type-checked rules over the library and the worker, and a
// rule that fails on any import cycle (layers point one way: see the README's layout); its
// recommended rules over the tests, benchmarks and examples; ESLint's own recommended rules over both.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.generated.ts', 'test/consumers/**/.cache/**', 'test/consumers/apps/**'] },
  {
    files: ['src/**/*.ts', 'worker/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      // Numbers and booleans read fine in messages.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // The core calls only the backend methods a file's traits promise; `!` states that invariant.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `() => void x()` callbacks are idiomatic for fire-and-forget handlers.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidOperator: true }],
      // Entry points check what JavaScript callers pass, which the types say cannot happen.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // An abort rethrows the signal's reason, whatever it is, as the platform does.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
    },
  },
  {
    // Tests and benchmarks: typescript-eslint's recommended rules, without type information.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },
  {
    // The worker protocol's operations with no answer say so with `void`, as functions do.
    files: ['src/opfs/protocol.ts'],
    rules: { '@typescript-eslint/no-invalid-void-type': 'off' },
  },
);
