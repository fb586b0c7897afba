// What docker-compose.yml shows to the outside and to its neighbours: ports bound to 127.0.0.1 unless asked, a
// Prometheus scrape target for every service, the same infrastructure images the container test suites run, and
// `docker run` lines in docs/docker.md that name images compose really builds.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALSTACK_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE } from '@shop/testing';
import { parse } from 'yaml';
import { loadComposeFile, serviceEnvironment, workspaceServiceOf } from '../src';

const repoRoot = join(__dirname, '..', '..', '..');
const compose = loadComposeFile(join(repoRoot, 'docker-compose.yml'));
const services = Object.entries(compose.services);
const env = { JWT_SECRET: randomBytes(32).toString('base64url') };

/** The gateway's internal metrics listener (METRICS_PORT's default): /metrics is not on its public port. */
const GATEWAY_METRICS_PORT = '9464';

it('publishes every port on 127.0.0.1 unless PUBLISH_ADDRESS says otherwise', () => {
  const published = services.flatMap(([name, service]) => (service.ports ?? []).map((port) => [name, port] as const));
  expect(published.length).toBeGreaterThan(0);
  for (const [name, port] of published) {
    expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^\$\{PUBLISH_ADDRESS:-127\.0\.0\.1\}:/) });
  }
});

it('keeps Prometheus and the Pact Broker out of a plain `docker compose up` (profiles)', () => {
  expect(compose.services.prometheus?.profiles).toEqual(['observability']);
  expect(compose.services['pact-broker']?.profiles).toEqual(['pact-broker']);
});

it('has Prometheus scrape every service: the gateway on its metrics port, the others on PORT', () => {
  const config = parse(readFileSync(join(repoRoot, 'infra', 'compose', 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { static_configs: { targets: string[] }[] }[];
  };
  const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets)).sort();
  const expected = services
    .filter(([, service]) => workspaceServiceOf(service) !== undefined)
    .map(([name, service]) => {
      const port =
        workspaceServiceOf(service) === 'gateway' ? GATEWAY_METRICS_PORT : serviceEnvironment(service, env).PORT;
      return `${name}:${port}`;
    })
    .sort();
  expect(targets).toEqual(expected);
});

it('runs the infrastructure images the container test suites run (@shop/testing)', () => {
  expect(compose.services.postgres?.image).toBe(POSTGRES_IMAGE);
  expect(compose.services.redis?.image).toBe(REDIS_IMAGE);
  expect(compose.services.localstack?.image).toBe(LOCALSTACK_IMAGE);
});

it('documents `docker run` and `docker build -t` only with image tags compose builds', () => {
  const docs = readFileSync(join(repoRoot, 'docs', 'docker.md'), 'utf8');
  const built = new Set(services.filter(([, service]) => service.build).map(([, service]) => service.image));
  const mentioned = [...docs.matchAll(/docker (?:run|build)\b[^\n`]*?(resilient-shop\/[\w.:-]+)/g)].map((m) => m[1]);
  expect(mentioned.length).toBeGreaterThan(0);
  expect(mentioned.filter((image) => !built.has(image))).toEqual([]);
});
