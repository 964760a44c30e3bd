import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The product reaches the workspace packages by name (their public API), never by path. */
const packageByName = {
  group: ['**/packages/**'],
  message: 'Import workspace packages by name (@custodian/embedded-mongo, @custodian/fake-slack).',
};

/**
 * Dependency direction (see ../shared/STYLE.md): domain imports nothing outside itself;
 * transport (slack, jobs, http) never reaches into db directly.
 */
const noOutsideDomain = {
  patterns: [
    {
      group: [
        '**/services/**',
        '**/db/**',
        '**/slack/**',
        '**/jobs/**',
        '**/http/**',
        '**/config/**',
        '**/sandbox/**',
        'node:*',
      ],
      message: 'domain/ is pure: it imports nothing outside itself.',
    },
    { group: ['mongoose', 'mongodb', '@slack/*', 'agenda', 'pino', 'bson'], message: 'domain/ is pure.' },
    packageByName,
  ],
};
const noDbFromTransport = {
  patterns: [
    {
      group: ['**/db/*', '**/db', 'mongoose', 'mongodb'],
      message: 'Transport layers reach the database only through services.',
    },
    packageByName,
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'packages/*/dist/**',
      'node_modules/**',
      'data/**',
      'test-artifacts/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        URLSearchParams: 'readonly',
        Response: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [packageByName] }] },
  },
  { files: ['src/domain/**/*.ts'], rules: { 'no-restricted-imports': ['error', noOutsideDomain] } },
  {
    files: ['src/slack/**/*.ts', 'src/jobs/**/*.ts', 'src/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noDbFromTransport] },
  },
  {
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
