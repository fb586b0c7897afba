/**
 * What docker-compose.yml says about the services, read the way compose reads it (YAML merge keys): each workspace
 * service's PORT, and the REST edges its `*_URL` variables open to another workspace service.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly target?: string; readonly args?: Record<string, string> };
  readonly environment?: Record<string, string | number | boolean | null>;
}

export const repoRoot = join(__dirname, '..', '..', '..', '..');
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

export const composeServices = compose.services;

/** Compose service name → workspace service, for the services built from the Dockerfile's `service` target. */
const workspaceServiceOf = new Map(
  Object.entries(compose.services).flatMap(([name, service]) =>
    (service.build?.target ?? 'service') === 'service' && service.build?.args?.SERVICE
      ? [[name, service.build.args.SERVICE] as const]
      : [],
  ),
);

export const composeWorkspaceServices = [...workspaceServiceOf.values()].sort();

export function composePort(workspaceService: string): number {
  const [name] = [...workspaceServiceOf].find(([, service]) => service === workspaceService)!;
  return Number(compose.services[name]!.environment!.PORT);
}

export interface RestEdge {
  readonly caller: string;
  readonly callee: string;
  readonly port: number;
}

export function composeRestEdges(): RestEdge[] {
  return [...workspaceServiceOf].flatMap(([name, caller]) =>
    Object.entries(compose.services[name]!.environment ?? {})
      .filter(([variable]) => variable.endsWith('_URL'))
      .flatMap(([, value]) => {
        const url = new URL(String(value));
        const callee = workspaceServiceOf.get(url.hostname);
        return callee ? [{ caller, callee, port: Number(url.port) }] : [];
      }),
  );
}
