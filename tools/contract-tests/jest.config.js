// Two projects, run one after the other by the package's `test` script: consumers write pacts/, providers read it.
const preset = require('../../jest.preset.js');

// Pact 16's verifier proxy requires https-proxy-agent 9, published as ESM only; like the preset's own list, SWC
// compiles these to CommonJS (jest's module runtime on Node 20 cannot require ESM).
const esmOnlyPackages = ['content-disposition', 'cookie', 'https-proxy-agent', 'agent-base', 'proxy-agent-negotiate'];
const notEsmOnly = esmOnlyPackages.map((name) => `(?:\\.pnpm/)?${name}[@/]`).join('|');
const common = { ...preset, transformIgnorePatterns: [`/node_modules/(?!${notEsmOnly})`] };

/** @type {import('jest').Config} */
module.exports = {
  // A global option (ignored inside a project): a verification replays a whole pact against a PGlite-backed app.
  testTimeout: 60_000,
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
