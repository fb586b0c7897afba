/**
 * A deliberately broken provider, for proving the suite can fail: renames one field of one route's JSON answer on
 * its way out (an `onSend` hook on the real app), the kind of "harmless refactoring" contract tests exist to catch.
 */
import type { ServiceApp } from '@shop/service-kit';

export interface RenamedField {
  method: string;
  /** The route as registered, e.g. `/payments`. */
  route: string;
  from: string;
  to: string;
}

export function renameResponseField(app: ServiceApp, { method, route, from, to }: RenamedField): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.method !== method || request.routeOptions.url !== route || typeof payload !== 'string') return payload;
    const body = JSON.parse(payload) as Record<string, unknown>;
    if (!(from in body)) return payload;
    const { [from]: value, ...rest } = body;
    return JSON.stringify({ ...rest, [to]: value });
  });
}
