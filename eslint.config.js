import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'eslint-plugin/dist/**', '**/*.d.ts', 'coverage/**', '.bench/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/models/**/*.ts', 'src/facts/**/*.ts', 'rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['eslint', 'eslint/*', '@typescript-eslint/*', 'typescript-eslint'], message: 'Rule logic never imports ESLint; the adapter lives in eslint-plugin/.' },
            { group: ['**/report/**', '**/cli/**'], message: 'The analysis layers never import reporters or the CLI.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/facts/**', '**/models/**', '**/cli/**', '../../rules/*', 'ts-morph'], message: 'Reporters are pure functions of findings and rule metadata.' }] },
      ],
    },
  },
);
