export {
  createEventStore,
  type EventStore,
  type EventStoreOptions,
  type AppendOptions,
  type AppendResult,
  type ReadStreamOptions,
  type StreamSlice,
  type ReadAllOptions,
} from './event-store';
export {
  START_OF_LOG,
  positionOf,
  type NewEvent,
  type RecordedEvent,
  type PendingEvent,
  type EventMetadata,
  type ExpectedVersion,
  type LogPosition,
} from './events';
export { ConcurrencyError, isConcurrencyError } from './concurrency-error';
export {
  handleCommand,
  foldEvents,
  type Decider,
  type DomainEvent,
  type HandleCommandOptions,
  type CommandResult,
} from './decider';
export type { Projection } from './projection';
export { createProjector, type Projector, type ProjectorOptions } from './projector';
export { rebuildProjection, type RebuildResult } from './rebuild';
export { readCheckpoint } from './checkpoints';
export { eventStoreMigrationsDir } from './migrations-dir';
