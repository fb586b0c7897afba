/**
 * Who may call a group of routes, decided in one place: the group is registered in a scope of its own whose
 * `onRequest` hook is a guard (fastify/demo's `autohooks.ts` per route folder). A service's `app.ts` therefore
 * reads as a list of "these routes, for these callers", and a handler never checks its caller itself.
 *
 *   await registerRoutesFor(app, onlyServices, (services) => registerReservationRoutes(services, reservations));
 *
 * Every guard fails closed: a request without a verified principal (an app given no `authentication`, or a token the
 * app could not verify) is refused with 401. Which *resource* a caller may see is a different question, answered in
 * the handler once the resource is loaded: `mayActFor`, so that someone else's resource is a 404, not a 403.
 */
import type { FastifyRequest } from 'fastify';
import { unauthenticated, type Principal } from './authentication';
import type { ServiceApp } from './create-app';
import { HttpProblem } from './problem';

/** An `onRequest` hook that throws a 401/403 problem unless the caller may use the scope's routes. */
export type CallerGuard = (request: FastifyRequest) => Promise<void>;

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated('this operation needs a verified token');
  return request.principal;
}

const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail);

/** Any verified caller: a customer or a service. */
export const anyVerifiedCaller: CallerGuard = async (request) => {
  principalOf(request);
};

/** Operations only other services perform (reservations, charges, shipments, registering users). */
export const onlyServices: CallerGuard = async (request) => {
  if (principalOf(request).kind !== 'service') throw forbidden('only services may call this operation');
};

/** Operations a customer performs for themselves (placing an order); read the customer with `customerOf`. */
export const onlyCustomers: CallerGuard = async (request) => {
  if (principalOf(request).kind !== 'customer') throw forbidden('this operation needs a customer token');
};

/**
 * Registers `routes` in a scope of their own, behind `guard`. The guard runs as the scope's first hook, before the
 * body is parsed or validated: a caller who may not use a route learns nothing about its validation rules.
 */
export async function registerRoutesFor(
  app: ServiceApp,
  guard: CallerGuard,
  routes: (scope: ServiceApp) => void,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', guard);
    routes(scope as ServiceApp);
  });
}

/** The verified customer of a route behind `onlyCustomers`. */
export function customerOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (principal.kind !== 'customer') throw forbidden('this operation needs a customer token');
  return principal.customerId;
}

/**
 * True when the caller may act for `customerId`: that customer, or any service. Routes use it after loading a
 * resource, to answer someone else's as 404 rather than 403. False without a verified caller.
 */
export function mayActFor(request: FastifyRequest, customerId: string): boolean {
  const principal = request.principal;
  if (!principal) return false;
  return principal.kind === 'service' || principal.customerId === customerId;
}
