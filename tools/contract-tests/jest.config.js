// Two projects, run one after the other by the package's `test` script: consumers write pacts/, providers read it.
const preset = require('../../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...preset,
      displayName: 'consumer',
      roots: ['<rootDir>/consumer'],
      // Pact files merge interactions into what is already there: start from nothing so a removed test leaves no trace.
      globalSetup: '<rootDir>/consumer/clean-pacts.js',
    },
    { ...preset, displayName: 'provider', roots: ['<rootDir>/provider'] },
  ],
};
