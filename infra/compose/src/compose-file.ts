/**
 * Reads a compose file the way `docker compose` does for what these checks need: YAML merge keys (`<<: *anchor`),
 * `environment` as a map or a list, and `${VAR}` interpolation.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly target?: string; readonly args?: Record<string, string> };
  readonly command?: readonly string[];
  readonly environment?: Record<string, string | number | boolean | null> | readonly string[];
  readonly healthcheck?: { readonly test?: readonly string[] };
  readonly ports?: readonly string[];
  readonly profiles?: readonly string[];
  readonly depends_on?: Record<string, { readonly condition?: string }> | readonly string[];
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
}

export function loadComposeFile(path: string): ComposeFile {
  // Compose files are YAML 1.1 in practice: merge keys are how the shared environment blocks are reused.
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`, `${NAME?message}` and `$$`, as compose
 * interpolates them. `env` stands for the shell and `.env` file of whoever runs compose.
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name?: string, colon?: string, operator?: string, operand?: string) => {
      if (match === '$$') return '$';
      const value = env[name!];
      const unset = value === undefined || (colon === ':' && value === '');
      if (operator === '-') return unset ? operand! : value!;
      if (operator === '?' && unset) throw new Error(`compose needs ${name}: ${operand}`);
      return value ?? '';
    },
  );
}

/** A service's environment after interpolation, as strings (compose passes every value as text). */
export function serviceEnvironment(
  service: ComposeService,
  env: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? (service.environment as readonly string[]).map((item) => {
        const at = item.indexOf('=');
        return at === -1 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value, env)]));
}

/** The workspace service a compose service runs: the Dockerfile's `SERVICE` build argument on its default target. */
export function workspaceServiceOf(service: ComposeService): string | undefined {
  if (service.build?.target !== undefined && service.build.target !== 'service') return undefined;
  return service.build?.args?.SERVICE;
}
