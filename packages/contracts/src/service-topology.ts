/**
 * Who calls whom, synchronously: each service's port and the services it calls over REST, with the environment
 * variable that carries each callee's URL. The asynchronous side is `topology.ts`; together they are the whole map.
 * infra/k8s writes its Services and NetworkPolicies from this, and its test holds docker-compose.yml's `*_URL`
 * variables to it, so a new REST call is declared here once and cannot be opened in one place and missed in another.
 */

export type SystemService = 'gateway' | 'order' | 'user' | 'inventory' | 'payment' | 'shipping';

export interface ServiceSpec {
  /** The port the service listens on (its config's default `PORT`). */
  readonly port: number;
  /** Per callee, the variable of the caller's config that holds the callee's base URL. */
  readonly calls: { readonly [callee in SystemService]?: string };
}

export const systemServices = {
  // The edge: routes customers' requests to the services that own them.
  gateway: {
    port: 3000,
    calls: { user: 'USER_SERVICE_URL', order: 'ORDER_SERVICE_URL', inventory: 'INVENTORY_SERVICE_URL' },
  },
  // The place-order saga's participants.
  order: { port: 3001, calls: { inventory: 'INVENTORY_URL', payment: 'PAYMENT_URL', shipping: 'SHIPPING_URL' } },
  user: { port: 3002, calls: {} },
  inventory: { port: 3003, calls: {} },
  payment: { port: 3004, calls: {} },
  shipping: { port: 3005, calls: {} },
} as const satisfies Readonly<Record<SystemService, ServiceSpec>>;
