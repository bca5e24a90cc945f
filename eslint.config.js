import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'coverage/', 'terraform/', '.stryker-tmp/', 'reports/'] },
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'off',
    },
  },
  {
    // Tests and dev tools index into arrays and regex groups they have just built; in product code
    // a non-null assertion stays forbidden.
    files: ['**/test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The domain stays free of SDKs, infrastructure and the runtime.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'stripe', 'inversify', 'jose', 'node:*', '**/adapters/**', '**/handlers/**', '**/composition/**'] },
      ],
    },
  },
  {
    // Use cases likewise; they may hash (node:crypto) to derive idempotency keys from our ids.
    files: ['services/*/src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'stripe', 'inversify', 'jose', 'node:*', '!node:crypto', '**/adapters/**', '**/handlers/**', '**/composition/**'] },
      ],
    },
  },
);
