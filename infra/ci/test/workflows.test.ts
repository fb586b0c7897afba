// The GitHub Actions workflows are only run on GitHub: check here what can be checked without it. action-validator
// (its validator is WebAssembly inside the npm package, no download) checks each file against the workflow and action
// schemas and that the paths it names exist; the rest holds the workflows to this repository's scripts and images.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_IMAGE, REDIS_IMAGE } from '@shop/testing';
import { parse } from 'yaml';

const repoRoot = join(__dirname, '..', '..', '..');
const workflowDir = join(repoRoot, '.github', 'workflows');
const files = [
  ...readdirSync(workflowDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join('.github', 'workflows', file)),
  join('.github', 'actions', 'setup', 'action.yml'),
];
const validator = require.resolve('@action-validator/cli/cli.mjs');

interface Step {
  readonly run?: string;
  readonly uses?: string;
}
interface Workflow {
  readonly jobs: Record<
    string,
    { readonly steps: readonly Step[]; readonly services?: Record<string, { image: string }> }
  >;
}
const workflow = (name: string) => parse(readFileSync(join(workflowDir, name), 'utf8')) as Workflow;

it.each(files)('action-validator accepts %s', (file) => {
  const result = spawnSync(process.execPath, [validator, file], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  expect(result.status).toBe(0);
});

it('runs only root scripts that exist', () => {
  const scripts = (
    JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const used = readdirSync(workflowDir).flatMap((file) =>
    Object.values(workflow(file).jobs).flatMap((job) =>
      job.steps.flatMap((step) => [...(step.run ?? '').matchAll(/^pnpm ([\w:-]+)$/gm)].map((match) => match[1]!)),
    ),
  );
  expect(used).toEqual(expect.arrayContaining(['lint', 'typecheck', 'test', 'test:containers', 'test:compose']));
  expect(used.filter((script) => !(script in scripts))).toEqual([]);
});

it('tests on the Postgres and Redis images docker-compose.yml runs', () => {
  const services = workflow('ci.yml').jobs.test!.services!;
  expect(services.postgres!.image).toBe(POSTGRES_IMAGE);
  expect(services.redis!.image).toBe(REDIS_IMAGE);
});

it('publishes, gates and records with the Pact Broker only when one is configured', () => {
  const steps = workflow('contracts.yml').jobs.contracts!.steps as readonly (Step & { if?: string })[];
  const brokerSteps = steps.filter((step) =>
    /pact-broker (publish|can-i-deploy|record-deployment)/.test(step.run ?? ''),
  );
  expect(brokerSteps).toHaveLength(3);
  for (const step of brokerSteps) expect(step.if).toContain("env.PACT_BROKER_BASE_URL != ''");
  // The local verification always runs: it is the whole check for a fork without a broker.
  expect(steps.some((step) => step.run === 'pnpm --filter @shop/contract-tests test:provider' && !step.if)).toBe(true);
});

it('action-validator rejects a workflow with a misspelt key (the check above can fail)', () => {
  const broken = join(tmpdir(), `broken-workflow-${process.pid}.yml`);
  writeFileSync(broken, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n');
  const result = spawnSync(process.execPath, [validator, broken], { encoding: 'utf8', timeout: 60_000 });
  rmSync(broken);
  // action-validator 0.6 prints the errors as JSON on stderr and exits 1.
  expect(result.status).toBe(1);
  expect(`${result.stdout}${result.stderr}`).toContain("Additional property 'stepz' is not allowed");
});
