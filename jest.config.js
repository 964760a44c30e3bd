/**
 * Jest runs in ESM mode (Agenda 6 is ESM-only); SWC strips types, tsc checks them separately.
 * One project for the product and one per workspace package, all run by the root `npm test`.
 * The `@custodian/source` export condition resolves the packages to their TypeScript sources, so
 * tests need no build.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @param {string} displayName @param {string} dir */
function project(displayName, dir) {
  return {
    displayName,
    rootDir: path.join(root, dir),
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['@custodian/source', 'node', 'node-addons'] },
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'es6' },
        },
      ],
    },
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/packages/[^/]+/dist/'],
    testMatch: ['<rootDir>/test/**/*.test.ts'],
  };
}

export default {
  projects: [
    project('custodian', '.'),
    project('embedded-mongo', 'packages/embedded-mongo'),
    project('fake-slack', 'packages/fake-slack'),
  ],
  testTimeout: 30000,
};
