// Opts a package's jest run into the container environment of @shop/testing when TEST_CONTAINERS=1:
//   module.exports = { ...require('../../jest.preset.js'), ...require('../../jest.containers.js')(['postgres']) };
// The global setup starts the named containers ('postgres', 'redis', 'sns-sqs') once for the run and sets
// TEST_DATABASE_URL / REDIS_URL / TEST_SNS_SQS_ENDPOINT; the teardown stops them. Without TEST_CONTAINERS=1 this adds
// nothing, so a machine without Docker runs the same suites on PGlite, local-aws and no Redis.
//
// The setup is @shop/testing's TypeScript source, compiled by the preset's SWC transform, rather than its dist/:
// @shop/db's own suites use it too, and @shop/db cannot depend on @shop/testing (which depends on it).
const { join } = require('node:path');

const containers = join(__dirname, 'packages', 'testing', 'src', 'containers');

/** @param {Array<'postgres' | 'redis' | 'sns-sqs'>} needs @returns {import('jest').Config} */
module.exports = function testContainers(needs) {
  if (process.env.TEST_CONTAINERS !== '1') return {};
  return {
    globalSetup: join(containers, 'jest-global-setup.ts'),
    globalTeardown: join(containers, 'jest-global-teardown.ts'),
    globals: { testContainers: needs },
  };
};
