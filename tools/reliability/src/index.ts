// @shop/reliability: the invariant checker and the drivers the chaos and load runs are built from.
export { checkInvariants, type InvariantReport } from './invariants/check-invariants';
export { formatReport } from './invariants/print-report';
export { readSystemState, readProducts, readQueueDepths, type ServiceUrls } from './invariants/read-system-state';
export { readOutboxBacklog } from './invariants/read-outbox-backlog';
export type * from './invariants/system-state';
export { runSagaChaos, serviceUrls, type SagaChaosOptions, type SagaChaosResult } from './chaos/saga-chaos';
export { startDuplicateDeliveries } from './chaos/duplicate-deliveries';
export { runGatewayLoad, unacceptableStatuses, type LoadOptions, type LoadResult } from './load/gateway-load';
export { startIsolatedSystem, type IsolatedSystem } from './isolated-system';
export { seededRandom, seedFrom, type SeededRandom } from './seeded-random';
// Two replicas of every service on one Postgres and one Redis (`pnpm test:replicas`).
export { startReplicaSystem, type ReplicaSystem, type Replica } from './replicas/replica-system';
export { missingServers } from './replicas/local-servers';
export { runReplicaChaos, type ReplicaChaosOptions, type ReplicaChaosResult } from './replicas/replica-chaos';
export { readReplicaEvidence, type ReplicaEvidence, type StepAttempt } from './replicas/replica-evidence';
export { checkReplicaInvariants } from './replicas/check-replica-invariants';
export { startRoundRobinProxy, type RoundRobinProxy } from './replicas/round-robin-proxy';
