import type { Config } from 'jest';

// One transform for every project: TypeScript (and the ESM-only @middy packages) to CommonJS,
// transpile-only; `npm run typecheck` does the type checking once for the whole tree.
const transform: Config['transform'] = {
  '^.+\\.[tj]s$': [
    'ts-jest',
    {
      tsconfig: {
        module: 'commonjs',
        moduleResolution: 'node10',
        target: 'ES2023',
        allowJs: true,
        esModuleInterop: true,
        isolatedModules: true,
        resolveJsonModule: true,
      },
      diagnostics: false,
    },
  ],
};

const common: Config = {
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)'],
  moduleNameMapper: {
    // @middy packages export only an "import" condition; point jest at their ESM entry (transformed above).
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // jose is ESM-only too (default export condition only): its web-API build, transformed above.
    '^jose$': '<rootDir>/node_modules/jose/dist/webapi/index.js',
    '^@order-platform/shared$': '<rootDir>/shared/src/index.ts',
    '^@order-platform/shared/(.*)$': '<rootDir>/shared/src/$1',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.*/\\.serverless/', '<rootDir>/.*/\\.esbuild/'],
};

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/shared/test/**/*.test.ts',
        '<rootDir>/services/*/test/**/*.test.ts',
        '<rootDir>/tools/stepfunctions-local/test/**/*.test.ts',
        '<rootDir>/ops/inspector/test/**/*.test.ts',
        '<rootDir>/tools/devauth/test/**/*.test.ts',
        '<rootDir>/ops/test/**/*.test.ts',
        '<rootDir>/tools/perf/cost/test/**/*.test.ts',
        '<rootDir>/tools/perf/test/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['/e2e/'],
    },
    {
      ...common,
      // The local stack's pollers and provisioner against real emulators (fauxqs in-process,
      // DynamoDB Local, stepfunctions-local). fauxqs is ESM-only: its build, transformed.
      displayName: 'local-stack',
      testMatch: ['<rootDir>/tools/local-stack/test/unit/**/*.test.ts'],
      transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|fauxqs)/)'],
      moduleNameMapper: { ...common.moduleNameMapper, '^fauxqs$': '<rootDir>/node_modules/fauxqs/dist/app.js' },
      modulePathIgnorePatterns: [...(common.modulePathIgnorePatterns ?? []), '<rootDir>/\\.local/'],
    },
    {
      ...common,
      // End to end against the stack of `npm start`: reuses a running one, else starts one for the run.
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/timeout.ts'],
      modulePathIgnorePatterns: [...(common.modulePathIgnorePatterns ?? []), '<rootDir>/\\.local/'],
    },
    {
      ...common,
      displayName: 'templates',
      testMatch: ['<rootDir>/test/templates/**/*.test.ts'],
      // Packages every service (no AWS credentials) so the tests read the templates that deploy.
      globalSetup: '<rootDir>/test/templates/global-setup.ts',
    },
  ],
};

export default config;
