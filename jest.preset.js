// Shared jest settings: TypeScript through SWC (no type-checking at test time — `pnpm typecheck` does that).
// Transitive dependencies published as ESM only: Node can require() them, but jest's module runtime cannot, so SWC
// compiles them to CommonJS like our own sources.
const esmOnlyPackages = ['content-disposition', 'cookie'];
const notEsmOnly = esmOnlyPackages.map((name) => `(?:\\.pnpm/)?${name}[@/]`).join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${notEsmOnly})`],
  // Per test and per hook. An embedded PGlite's first start plus migrations takes ~2 s on a quiet machine and more
  // than 30 s on a loaded 2-core CI runner; past this it is a failure (with cleanup, see below), never a hang.
  testTimeout: 90_000,
  // A failing run must end, not hang on what a timed-out setup left open (see jest.exit-guard.cjs).
  reporters: ['default', require.resolve('./jest.exit-guard.cjs')],
};
