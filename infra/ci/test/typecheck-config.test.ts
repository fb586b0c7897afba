// `pnpm typecheck` checks every package as one TypeScript program (tsconfig.typecheck.json at the root). A package
// that adds a folder to its own tsconfig.json must add it there too, or that folder would go unchecked in CI: this
// holds the two in step.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');
// Only whole-line comments are used in the root file; the packages' files are plain JSON.
const readJson = (path: string) =>
  JSON.parse(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n'),
  ) as { include?: string[] };

const rootIncludes = readJson(join(repoRoot, 'tsconfig.typecheck.json')).include ?? [];
const matchers = rootIncludes.map((pattern) => new RegExp(`^${pattern.replace(/\*/g, '[^/]+')}$`));

// The console is checked by its own tsconfigs (its browser code needs the DOM library).
const checkedApart = new Set(['apps/console']);
const packages = ['packages', 'services', 'tools', 'infra', 'apps'].flatMap((group) =>
  readdirSync(join(repoRoot, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${group}/${entry.name}`)
    .filter((dir) => !checkedApart.has(dir))
    .filter((dir) => existsSync(join(repoRoot, dir, 'tsconfig.json'))),
);

it('finds the packages it checks', () => {
  expect(packages).toEqual(expect.arrayContaining(['packages/db', 'services/order', 'tools/contract-tests']));
});

it.each(packages)("every folder %s/tsconfig.json includes is in the root's one-program typecheck", (dir) => {
  const includes = readJson(join(repoRoot, dir, 'tsconfig.json')).include ?? [];
  const missing = includes.map((folder) => `${dir}/${folder}`).filter((path) => !matchers.some((m) => m.test(path)));
  expect(missing).toEqual([]);
});
