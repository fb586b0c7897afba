// `pnpm test:compose`: the compose system test alone (system/), one file, long steps that bound themselves.
/** @type {import('jest').Config} */
module.exports = { ...require('../../jest.preset.js'), roots: ['<rootDir>/system'], testTimeout: 10 * 60_000 };
