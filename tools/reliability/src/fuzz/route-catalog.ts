/**
 * The routes to fuzz, read from the app's own OpenAPI document: a route added tomorrow is fuzzed tomorrow, with no
 * list to keep up to date. Operational routes (docs, health, metrics, fault injection) are left out.
 */
import type { JsonSchema } from './schema-shaped';

export interface FuzzRoute {
  method: string;
  /** OpenAPI form, e.g. `/orders/{id}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Top-level property names of the JSON body schema (to build bodies that get past the shape checks). */
  bodyProperties: string[];
  /** The JSON body schema itself, to build bodies that follow it all the way down (see schema-shaped.ts). */
  bodySchema?: JsonSchema;
  hasBody: boolean;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const OPERATIONAL = /^\/(docs|health|metrics|admin)(\/|$)/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function routesFromOpenApi(document: { paths?: Record<string, Record<string, OpenApiOperation>> }): FuzzRoute[] {
  const routes: FuzzRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    if (OPERATIONAL.test(path)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const json = operation.requestBody?.content?.['application/json']?.schema;
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProperties: Object.keys(json?.properties ?? {}),
        ...(json ? { bodySchema: json } : {}),
        hasBody: method !== 'get' && method !== 'delete',
      });
    }
  }
  return routes;
}
