// The file checks always run; the image tests (test/images) only with TEST_CONTAINERS=1, since they build and start
// the images. Without it, one line says they were skipped and how to run them. The compose system test has its own
// config (jest.system.config.js, `pnpm test:compose`).
const preset = require('../../jest.preset.js');

/** @type {import('jest').Config} */
module.exports =
  process.env.TEST_CONTAINERS === '1'
    ? { ...preset, testTimeout: 120_000 }
    : {
        ...preset,
        testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/images/'],
        globalSetup: '<rootDir>/container-suites-skipped.js',
      };
