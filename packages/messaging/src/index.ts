// @shop/messaging: SNS/SQS done once — topology provisioning, transactional outbox, consumer with inbox and DLQ.
export { createAwsClients, destroyAwsClients, type AwsClients, type AwsClientOptions } from './aws-clients';
export { silentLogger, type Logger } from './logger';
export { messagingMigrationsDir, installMessagingSchema } from './messaging-schema';
export {
  provisionTopology,
  type ProvisionOptions,
  type ProvisionedQueue,
  type ProvisionedTopology,
  type TopologyChange,
} from './provision-topology';
export { findTopicArn, requireQueueUrl } from './aws-lookups';
export { enqueueEvents, outboxInsert } from './outbox/enqueue-events';
export { outboxBacklog } from './outbox/outbox-store';
export {
  createOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
  type PublishReport,
} from './outbox/outbox-relay';
export {
  createConsumer,
  defaultRetryDelaySeconds,
  type Consumer,
  type ConsumerOptions,
  type EventHandler,
  type EventHandlers,
  type EventWrites,
} from './consumer/consumer';
export { UnrecoverableMessageError } from './consumer/unrecoverable-message-error';
export { pruneInbox, inboxRetention, DEFAULT_INBOX_RETENTION_MS } from './consumer/inbox';
export { outboxRetention, DEFAULT_OUTBOX_RETENTION_MS } from './outbox/outbox-store';
export { DEAD_LETTER_REASON_ATTRIBUTE } from './consumer/dead-letter';
export { listDeadLetters, redriveDeadLetters, type DeadLetter, type RedriveOptions } from './dlq/dead-letter-tools';
export { createServiceMessaging, type ServiceMessaging, type ServiceMessagingOptions } from './service-messaging';
