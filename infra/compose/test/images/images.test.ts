/**
 * Each image as an operator meets it (TEST_CONTAINERS=1 only): built from the Dockerfile by `compose build`, under
 * the tags compose and docs/docker.md use, then started one by one beside a Postgres container and local-aws (run
 * from the tools image, which provisions the topology too). Per service image: ready, a 400 problem+json for a bad
 * body, non-root, no sources or dev tools, and exit 0 on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signTestToken } from '@shop/testing';
import { postgresContainer } from '@shop/testing/containers';
import {
  GenericContainer,
  getContainerRuntimeClient,
  Network,
  Wait,
  type StartedNetwork,
  type StartedTestContainer,
} from 'testcontainers';
import { findComposeCommand, runCompose } from '../../src';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const JWT_SECRET = randomBytes(32).toString('base64url');
const TOOLS_IMAGE = 'resilient-shop/tools:local';
const AWS = { AWS_ENDPOINT_URL: 'http://localstack:4566', AWS_REGION: 'us-east-1' };

/** Per service: its port, and a write route that must answer a bad body with 400 (given a token of `role`). */
const SERVICES = [
  { name: 'user', port: 3002, badRequest: { path: '/users', role: 'service' } }, // registration: the gateway's call
  { name: 'inventory', port: 3003, badRequest: { path: '/reservations', role: 'service' } },
  { name: 'payment', port: 3004, badRequest: { path: '/payments', role: 'service' } },
  { name: 'shipping', port: 3005, badRequest: { path: '/shipments', role: 'service' } },
  { name: 'order', port: 3001, badRequest: { path: '/orders', role: 'customer' } },
  { name: 'gateway', port: 3000, badRequest: { path: '/api/auth/token', role: undefined } },
] as const;

/**
 * What a service image must not contain, found by a node script inside it (the image has no other tools to ask):
 * dev dependencies anywhere under node_modules, and TypeScript sources, `src/`/`test/` folders or tsconfig files in
 * the service or its workspace packages (third-party packages may ship what they like). String.raw: the script
 * keeps its regular expressions' backslashes.
 */
const FIND_LEFTOVERS = String.raw`
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const found = [];
// (@types/* is left out: some runtime packages, e.g. @opentelemetry/instrumentation-pg, depend on type packages.)
const devPackages = new Set(['typescript', 'jest', '@swc', 'turbo', 'eslint', 'prettier', 'ts-node']);
const ours = (path) => !path.includes('node_modules') || /node_modules\/@shop\/[^/]+\//.test(path + '/');
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (dir.endsWith('node_modules') && devPackages.has(entry.name)) found.push(path);
      else if (ours(path) && (entry.name === 'src' || entry.name === 'test')) found.push(path);
      else walk(path);
    } else if (ours(path) && /\.[cm]?ts$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) found.push(path);
    else if (ours(path) && /^tsconfig.*\.json$/.test(entry.name)) found.push(path);
  }
})(process.cwd());
console.log(JSON.stringify(found));
`;

const composeCommand = findComposeCommand();
let network: StartedNetwork;
const infrastructure: StartedTestContainer[] = [];

beforeAll(async () => {
  if (!composeCommand)
    throw new Error('TEST_CONTAINERS=1 needs `docker compose` or `docker-compose` to build the images');
  // The compose file is the one place that names the image tags; the layer cache makes an unchanged build quick.
  const build = await runCompose(
    {
      command: composeCommand,
      files: ['docker-compose.yml'],
      projectName: 'resilient-shop-images',
      cwd: repoRoot,
      env: { JWT_SECRET },
    },
    ['build'],
    { timeoutMs: 40 * 60_000 },
  );
  if (build.code !== 0) throw new Error(`compose build failed:\n${build.output.slice(-4000)}`);

  network = await new Network().start();
  const postgres = await postgresContainer().withNetwork(network).withNetworkAliases('postgres').start();
  infrastructure.push(postgres);
  for (const { name } of SERVICES.filter((service) => service.name !== 'gateway')) {
    const created = await postgres.exec([
      'psql',
      '-U',
      postgres.getUsername(),
      '-d',
      postgres.getDatabase(),
      '-c',
      `CREATE DATABASE "${name}"`,
    ]);
    if (created.exitCode !== 0) throw new Error(created.output);
  }
  const localAws = await new GenericContainer(TOOLS_IMAGE)
    .withCommand(['node', 'node_modules/@shop/local-aws/dist/cli.js', '--host', '0.0.0.0', '--port', '4566'])
    .withNetwork(network)
    .withNetworkAliases('localstack')
    .withWaitStrategy(Wait.forLogMessage(/local-aws: SNS \+ SQS on/))
    .withStartupTimeout(60_000)
    .start();
  infrastructure.push(localAws);
  const provision = await new GenericContainer(TOOLS_IMAGE)
    .withCommand(['node', 'node_modules/@shop/messaging/dist/cli/provision.js'])
    .withNetwork(network)
    .withEnvironment(AWS)
    .withWaitStrategy(Wait.forOneShotStartup())
    .withStartupTimeout(60_000)
    .start();
  await provision.stop();
}, 45 * 60_000);

afterAll(async () => {
  await Promise.allSettled(infrastructure.map((container) => container.stop({ timeout: 5_000 })));
  await network?.stop();
});

describe('the tools image', () => {
  it('runs as the unprivileged node user and carries no pnpm store', async () => {
    const tools = await new GenericContainer(TOOLS_IMAGE).withCommand(['sleep', 'infinity']).start();
    try {
      expect((await tools.exec(['id', '-u'])).output.trim()).not.toBe('0');
      const store = await tools.exec([
        'sh',
        '-c',
        'ls -d /root/.local/share/pnpm /root/.cache/pnpm /repo 2>/dev/null; command -v pnpm npm || true',
      ]);
      expect(store.output.trim()).toBe('');
    } finally {
      await tools.stop({ timeout: 0 });
    }
  }, 120_000);
});

describe.each(SERVICES)('the $name-service image', ({ name, port, badRequest }) => {
  let service: StartedTestContainer;
  const url = (path: string) => `http://${service.getHost()}:${service.getMappedPort(port)}${path}`;

  beforeAll(async () => {
    service = await new GenericContainer(`resilient-shop/${name}-service:local`)
      .withNetwork(network)
      .withEnvironment({
        PORT: String(port),
        JWT_SECRET,
        ...(name === 'gateway' ? {} : { ...AWS, DATABASE_URL: `postgres://test:test@postgres:5432/${name}` }),
      })
      .withExposedPorts(port)
      .withWaitStrategy(Wait.forHttp('/health/ready', port).forStatusCode(200))
      .withStartupTimeout(120_000)
      .start();
  }, 180_000);
  afterAll(async () => {
    await service?.stop({ timeout: 5_000 }).catch(() => undefined); // already stopped by the SIGTERM test
  });

  it('is ready on /health/ready', async () => {
    expect((await fetch(url('/health/ready'))).status).toBe(200);
  });

  it(`answers a bad POST ${badRequest.path} with 400 problem+json`, async () => {
    const token = badRequest.role && signTestToken(JWT_SECRET, { sub: 'image-test', role: badRequest.role });
    const response = await fetch(url(badRequest.path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ unexpected: true }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, type: expect.any(String) });
  });

  it('runs as a user other than root', async () => {
    expect((await service.exec(['id', '-u'])).output.trim()).not.toBe('0');
  });

  it('holds no sources, no dev dependencies and no package managers', async () => {
    expect(JSON.parse((await service.exec(['node', '-e', FIND_LEFTOVERS])).output)).toEqual([]);
    const tools = await service.exec(['sh', '-c', 'command -v npm npx pnpm yarn corepack tsc || true']);
    expect(tools.output.trim()).toBe('');
  });

  it('exits 0 on SIGTERM (graceful shutdown, no shell in between)', async () => {
    const container = (await getContainerRuntimeClient()).container.getById(service.getId());
    await container.kill({ signal: 'SIGTERM' });
    expect(await container.wait()).toMatchObject({ StatusCode: 0 });
  }, 60_000);
});
