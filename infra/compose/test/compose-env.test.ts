// Holds docker-compose.yml to the services' own config schemas, so the stack cannot drift from the code: every
// variable a service requires is set, every variable set is one the service reads, and every value passes the
// service's own start-up validation. Then `docker compose config` validates the files when a compose CLI exists.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@shop/service-kit';
import {
  findComposeCommand,
  interpolate,
  loadComposeFile,
  loadServiceConfigSchema,
  requiredVariables,
  serviceEnvironment,
  validateComposeFiles,
  VARIABLES_READ_OUTSIDE_CONFIG,
  workspaceServiceOf,
} from '../src';

const repoRoot = join(__dirname, '..', '..', '..');
const compose = loadComposeFile(join(repoRoot, 'docker-compose.yml'));
const workspaceServices = readdirSync(join(repoRoot, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Compose service name → the workspace service it runs. */
const composeServiceFor = new Map(
  Object.entries(compose.services).flatMap(([name, service]) => {
    const workspaceService = workspaceServiceOf(service);
    return workspaceService ? [[workspaceService, name] as const] : [];
  }),
);

// What a user must provide is JWT_SECRET alone (shell or .env file): the file's defaults must do for the rest.
const USER_ENVIRONMENT = { JWT_SECRET: randomBytes(32).toString('base64url') };
const environmentOf = (workspaceService: string) =>
  serviceEnvironment(compose.services[composeServiceFor.get(workspaceService)!]!, USER_ENVIRONMENT);

it('runs every workspace service, and only those', () => {
  expect([...composeServiceFor.keys()].sort()).toEqual(workspaceServices);
});

describe.each(workspaceServices)('%s', (service) => {
  if (!existsSync(join(repoRoot, 'services', service, 'src', 'config.ts'))) {
    it.skip(`not checked: services/${service}/src/config.ts does not exist yet`, () => undefined);
    return;
  }
  const schema = () => loadServiceConfigSchema(repoRoot, service);

  it('sets every variable the config schema requires', () => {
    const env = environmentOf(service);
    expect(requiredVariables(schema()).filter((name) => !(name in env))).toEqual([]);
  });

  it('sets only variables the service reads (catches typos)', () => {
    const known = new Set([...Object.keys(schema().properties), ...Object.keys(VARIABLES_READ_OUTSIDE_CONFIG)]);
    expect(Object.keys(environmentOf(service)).filter((name) => !known.has(name))).toEqual([]);
  });

  it('requires JWT_SECRET from the environment: the file ships no secret', () => {
    const definition = compose.services[composeServiceFor.get(service)!]!;
    expect(() => serviceEnvironment(definition, {})).toThrow(/compose needs JWT_SECRET: .*docs\/docker\.md/);
  });

  it("passes the service's own start-up validation", () => {
    expect(() => loadConfig(schema() as Parameters<typeof loadConfig>[0], environmentOf(service))).not.toThrow();
  });

  it('sets PORT, which the healthcheck reads, and is checked on /health/ready', () => {
    const definition = compose.services[composeServiceFor.get(service)!]!;
    expect(environmentOf(service).PORT).toMatch(/^\d+$/);
    expect(definition.healthcheck?.test?.join(' ')).toContain('/health/ready');
  });

  it('calls other services at their compose name and PORT', () => {
    const portOf = (composeService: string) =>
      compose.services[composeService]
        ? serviceEnvironment(compose.services[composeService]!, USER_ENVIRONMENT).PORT
        : undefined;
    const mismatches = Object.entries(environmentOf(service)).flatMap(([name, value]) => {
      if (!/^https?:\/\//.test(value)) return [];
      const url = new URL(value);
      const expectedPort = portOf(url.hostname);
      return expectedPort !== undefined && url.port !== expectedPort ? [`${name}=${value} (PORT ${expectedPort})`] : [];
    });
    expect(mismatches).toEqual([]);
  });

  it('uses a Postgres database of its own, created by infra/postgres/init', () => {
    if (!('DATABASE_URL' in schema().properties)) return; // a service without a database (the gateway)
    const databaseUrl = environmentOf(service).DATABASE_URL;
    expect(databaseUrl).toBeDefined();
    const database = new URL(databaseUrl!).pathname.slice(1);
    expect(database).toBe(service);
    expect(createdDatabases()).toContain(database);
  });
});

function createdDatabases(): string[] {
  const dir = join(repoRoot, 'infra', 'postgres', 'init');
  const sql = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
  return [...sql.matchAll(/CREATE DATABASE "?(\w+)"?/gi)].map((match) => match[1]!);
}

describe('interpolate', () => {
  it('follows compose: defaults, required variables and escaped dollars', () => {
    expect(interpolate('${A:-x} ${B-y} ${C}', { B: '' })).toBe('x  ');
    expect(interpolate('$${HOME} ${A}', { A: 'a' })).toBe('${HOME} a');
    expect(() => interpolate('${SECRET:?set SECRET}', {})).toThrow('compose needs SECRET: set SECRET');
  });
});

const composeCommand = findComposeCommand();
describe('docker compose config', () => {
  const cases = [
    ['docker-compose.yml', ['docker-compose.yml']],
    ['docker-compose.yml + docker-compose.local-aws.yml', ['docker-compose.yml', 'docker-compose.local-aws.yml']],
  ] as const;

  if (!composeCommand) {
    it.skip('not checked: neither `docker compose` nor `docker-compose` is installed (no engine needed, just the CLI)', () =>
      undefined);
    return;
  }
  it.each(cases)(`${composeCommand.join(' ')} config -q accepts %s`, (_label, files) => {
    const result = validateComposeFiles(composeCommand, files, repoRoot, USER_ENVIRONMENT);
    expect(result.output).toBe('');
    expect(result.valid).toBe(true);
  });
});
