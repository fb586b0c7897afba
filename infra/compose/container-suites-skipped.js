// Jest global setup without TEST_CONTAINERS=1: the one line that tells a `pnpm test` run the container suites exist.
const { spawnSync } = require('node:child_process');

module.exports = function containerSuitesSkipped() {
  const engine = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  const why = engine.status === 0 ? 'TEST_CONTAINERS is not set' : 'no Docker engine answers here';
  process.stdout.write(
    `\nContainer suites skipped (${why}): with Docker, run \`pnpm test:containers\` (Postgres, Redis, LocalStack, images) and \`pnpm test:compose\` (the stack).\n`,
  );
};
