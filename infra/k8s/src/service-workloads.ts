/**
 * What each service needs to run in a pod, beyond what @shop/contracts says (its port, whom it calls) and the
 * messaging topology says (whether it has a database and SNS/SQS): its resources and its own settings.
 */
import { systemServices, systemTopology, type SystemService } from '@shop/contracts';

export interface ContainerResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMebibytes: number;
  readonly memoryLimitMebibytes: number;
}

export interface ServiceWorkloadSpec {
  /** `service.name` on its spans, as compose and the demo name it. */
  readonly telemetryName: string;
  readonly resources: ContainerResources;
  /** The service's own settings, as compose sets them. */
  readonly environment: Readonly<Record<string, string>>;
}

/** A Node process with Fastify, pino and OpenTelemetry loaded sits near 100 MiB; the limit leaves room for load. */
const NODE_SERVICE: ContainerResources = {
  cpuRequestMillis: 100,
  cpuLimitMillis: 1000,
  memoryRequestMebibytes: 160,
  memoryLimitMebibytes: 384,
};

export const serviceWorkloads: Readonly<Record<SystemService, ServiceWorkloadSpec>> = {
  gateway: { telemetryName: 'gateway', resources: NODE_SERVICE, environment: {} },
  order: { telemetryName: 'order-service', resources: NODE_SERVICE, environment: {} },
  // Each scrypt hash (N = 2^17, r = 8) holds 128 MiB while it runs, and libuv runs up to four at once.
  user: {
    telemetryName: 'user-service',
    resources: { ...NODE_SERVICE, memoryRequestMebibytes: 384, memoryLimitMebibytes: 768 },
    environment: {},
  },
  // The demo catalogue, so a fresh deployment has something to sell (existing products keep their stock).
  inventory: { telemetryName: 'inventory-service', resources: NODE_SERVICE, environment: { SEED_CATALOGUE: 'on' } },
  payment: { telemetryName: 'payment-service', resources: NODE_SERVICE, environment: {} },
  shipping: { telemetryName: 'shipping-service', resources: NODE_SERVICE, environment: {} },
};

export const SERVICE_NAMES = Object.keys(systemServices) as SystemService[];

/**
 * A service that publishes events has an outbox, and one that consumes has an inbox, both in its own database
 * (service-kit's data services): so the topology also says who needs Postgres and SNS/SQS. The gateway is neither.
 */
export function isDataService(service: SystemService): boolean {
  return service in systemTopology.producers || service in systemTopology.consumers;
}

/** The Dockerfile's image name for a service (`docker build --build-arg SERVICE=order` → `order-service`). */
export function serviceImageName(service: SystemService): string {
  return `${service}-service`;
}
