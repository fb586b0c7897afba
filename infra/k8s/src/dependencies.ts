/**
 * Everything outside the six services that a pod connects to, with who connects: the list the NetworkPolicies
 * open, one entry per dependency. Which services need Postgres and SNS/SQS comes from the messaging topology.
 */
import { type SystemService } from '@shop/contracts';
import { portOf } from './endpoint-port';
import { isDataService, SERVICE_NAMES } from './service-workloads';
import type { NetworkPeer, ShopProps } from './shop-props';

/** The provisioning job's pods, which reach SNS/SQS only. */
export const PROVISION = 'provision';

export interface Dependency {
  readonly name: string;
  readonly peer: NetworkPeer;
  readonly port: number;
  /** Workload names (services, `provision`) whose pods connect to it. */
  readonly clients: readonly string[];
}

/** AWS's regional SNS and SQS endpoints answer on HTTPS. */
const AWS_ENDPOINT_PORT = 443;

export function dependenciesOf(shop: ShopProps): Dependency[] {
  const dataServices: SystemService[] = SERVICE_NAMES.filter(isDataService);
  const { postgres, messaging, redis, tracing } = shop;
  return [
    { name: 'postgres', peer: postgres.peer, port: postgres.port, clients: dataServices },
    {
      name: 'sns-sqs',
      peer: messaging.peer,
      port: messaging.endpointUrl ? portOf(messaging.endpointUrl) : AWS_ENDPOINT_PORT,
      clients: [...dataServices, PROVISION],
    },
    ...(redis ? [{ name: 'redis', peer: redis.peer, port: portOf(redis.url), clients: ['gateway'] }] : []),
    ...(tracing ? [{ name: 'tracing', peer: tracing.peer, port: portOf(tracing.url), clients: SERVICE_NAMES }] : []),
  ];
}
