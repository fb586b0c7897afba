// Two projects, run one after the other by the package's `test` script: consumers write pacts/, providers read it.
const preset = require('../../jest.preset.js');

// Packages of Pact's verifier tree that have shipped as ESM only; like the preset's own list, SWC compiles them to
// CommonJS (jest's module runtime cannot require ESM).
const esmOnlyPackages = ['content-disposition', 'cookie', 'https-proxy-agent', 'agent-base', 'proxy-agent-negotiate'];
const notEsmOnly = esmOnlyPackages.map((name) => `(?:\\.pnpm/)?${name}[@/]`).join('|');
// `reporters` and `testTimeout` are root options: inside a project jest warns about (or ignores) them.
const { reporters, testTimeout, ...projectPreset } = preset;
const common = { ...projectPreset, transformIgnorePatterns: [`/node_modules/(?!${notEsmOnly})`] };

/** @type {import('jest').Config} */
module.exports = {
  // A verification replays a whole pact against a PGlite-backed app: the preset's limit covers it.
  testTimeout,
  reporters,
  // Lists every pact verification (one test per consumer–provider pair) and every consumer interaction.
  verbose: true,
  projects: [
    {
      ...common,
      displayName: 'consumer',
      roots: ['<rootDir>/consumer'],
      // Pact files merge interactions into what is already there: start from nothing so a removed test leaves no trace.
      globalSetup: '<rootDir>/consumer/clean-pacts.js',
    },
    { ...common, displayName: 'provider', roots: ['<rootDir>/provider'] },
  ],
};
