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
// eslint flat config: the later matching block's rule wins, so surface blocks repeat the db rule.

const slackPattern = {
  group: ['@slack/*', '**/slack/**', '**/notify/**'],
  message: 'services/ know nothing of Slack: tell the Notifier port.',
};
const dbPattern = {
  group: ['**/db/*', '**/db', 'mongoose', 'mongodb'],
  message: 'Transport layers reach the database only through services.',
};
/** Slack surfaces are independent: what two of them share lives in slack/support/ or slack/blocks/. */
const surfaceRule = (others) => ({
  patterns: [
    dbPattern,
    {
      group: others.flatMap((dir) => [`../${dir}/**`, `../../${dir}/**`, `./${dir}/**`]),
      message: 'commands/, actions/ and views/ do not import each other; share through slack/support/.',
    },
  ],
});

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
    files: ['src/slack/commands/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', surfaceRule(['actions', 'views'])] },
  },
  {
    files: ['src/slack/actions/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', surfaceRule(['commands', 'views'])] },
  },
  {
    files: ['src/slack/views/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', surfaceRule(['commands', 'actions'])] },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            slackPattern,
            {
              group: ['**/db/**', 'mongoose', 'mongodb'],
              message: 'services/ reach storage through the ports in ports.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/models/**', '**/db/repositories/**', '**/db/database*', 'mongoose', 'mongodb'],
              message: 'The sandbox drives the application (services, Slack), not the database behind it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
