/** Jest runs the TypeScript sources as ESM (NestJS 12 is ESM-only). */
const libs = ['core', 'sandbox', 'ledger', 'webhooks', 'identity', 'barcode', 'capture', 'topup', 'fraud', 'lifecycle'];

const typescript = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^#${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^#core/startup$': '<rootDir>/libs/core/src/startup.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/**
 * Two tiers. `unit`: the tests beside the code in libs/, apps/, tools/ and bench/,
 * which need no service (npm run test:unit). `services`: test/, against a
 * real PostgreSQL and queue backend, one database per Jest worker (see
 * test/support/global-setup.ts), set up only when one of them runs. There a
 * test file may gather the `*.spec.ts` of one area, which then share one
 * running api and worker (see useHarness).
 */
export default {
  projects: [
    {
      ...typescript,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.test.ts',
        '<rootDir>/apps/**/*.test.ts',
        '<rootDir>/tools/**/*.test.ts',
        '<rootDir>/bench/**/*.test.ts',
      ],
    },
    {
      ...typescript,
      displayName: 'services',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // A spec gathered into a file with others must not leave a spy behind for the next.
      restoreMocks: true,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/worker-env.ts'],
    },
  ],
  testSequencer: '<rootDir>/test/support/sequencer.js',
  testTimeout: 60_000,
  // Three on two cores: the browser and process tests wait on other processes, and a third worker fills the gaps.
  maxWorkers: 3,
};
