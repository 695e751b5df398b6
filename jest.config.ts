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
  // fauxqs (the in-process SNS/SQS emulator of the local stack) is ESM-only too.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|fauxqs)/)'],
  moduleNameMapper: {
    // @middy packages export only an "import" condition; point jest at their ESM entry (transformed above).
    '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
    // jose is ESM-only too (default export condition only): its web-API build, transformed above.
    '^jose$': '<rootDir>/node_modules/jose/dist/webapi/index.js',
    '^fauxqs$': '<rootDir>/node_modules/fauxqs/dist/app.js',
    '^@order-platform/shared$': '<rootDir>/shared/src/index.ts',
    '^@order-platform/shared/(.*)$': '<rootDir>/shared/src/$1',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  modulePathIgnorePatterns: ['<rootDir>/\\.packaged/', '<rootDir>/.*/\\.serverless/', '<rootDir>/.*/\\.esbuild/', '<rootDir>/\\.local/'],
};

/** Every folder that holds tests beside its code; the tier of a test is the sub-folder it sits in. */
const TEST_HOMES = ['shared', 'services/*', 'ops', 'ops/inspector', 'tools/*', 'tools/perf/cost', 'tools/perf/capacity'];
const inHomes = (folder: string) => TEST_HOMES.map((home) => `<rootDir>/${home}/test/${folder}**/*.test.ts`);

/**
 * The tiers. A test's tier is decided by what it touches, and its folder says so:
 * - unit (`<home>/test/`): pure and in-memory: no servers, emulators, packaging, browser or child processes;
 * - integration (`<home>/test/integration/`): HTTP servers, emulators (DynamoDB Local, fauxqs,
 *   stepfunctions-local), esbuild bundles, the browser, child processes;
 * - templates (`test/templates/`, `services/<name>/test/templates/`): the packaged CloudFormation;
 * - e2e (`test/e2e/`): the whole local stack of `npm start`;
 * - repository (`test/repository/`): checks over the repository's own files.
 * test/repository/tiers.test.ts fails when a test file belongs to no tier or to two.
 * `npm test` runs the e2e tier (one worker: its files share one stack and its faults file) beside
 * the other tiers, which need no stack: most of an e2e run is waiting on sagas.
 */
const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: inHomes(''),
      testPathIgnorePatterns: ['/node_modules/', '/test/(integration|templates|e2e)/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: inHomes('integration/'),
    },
    {
      ...common,
      displayName: 'templates',
      testMatch: ['<rootDir>/test/templates/**/*.test.ts', '<rootDir>/services/*/test/templates/**/*.test.ts'],
      // Packages every stack for every stage (local, dev, prod; no AWS credentials, into .packaged/)
      // so the tests read the templates that deploy.
      globalSetup: '<rootDir>/test/templates/global-setup.ts',
    },
    {
      ...common,
      // End to end against the stack of `npm start`: reuses a running one, else starts one for the run.
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/e2e/timeout.ts'],
    },
    {
      ...common,
      displayName: 'repository',
      testMatch: ['<rootDir>/test/repository/**/*.test.ts'],
    },
  ],
};

export default config;
