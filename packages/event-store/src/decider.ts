/**
 * Aggregates as deciders (emmett's pattern): domain logic is two pure functions, and `handleCommand` is the only
 * place that touches the store — load the stream, fold it into state, decide, append at the loaded version.
 */
import type { Queryable, Statement } from '@shop/db';
import { ConcurrencyError } from './concurrency-error';
import type { EventStore } from './event-store';
import type { EventMetadata, ExpectedVersion, PendingEvent, RecordedEvent } from './events';

/** A domain event as the decider sees it: no ids, versions or timestamps — those belong to the store. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * `decide` turns a command and the current state into new events (or throws a domain error); `evolve` applies one
 * event to the state. Both pure: no I/O, no clock reads — a timestamp the domain needs arrives in the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface HandleCommandOptions<Event extends DomainEvent> {
  /**
   * The version the client last saw (e.g. from an `If-Match` header). When given, the command fails with
   * ConcurrencyError if the stream has moved on, and is never retried: the client decided on what it saw.
   */
  expectedVersion?: ExpectedVersion;
  /**
   * How many extra attempts after a ConcurrencyError, each on freshly loaded state. Safe because `decide` is pure
   * and re-runs against the events that won; ignored with `tx` (the caller's transaction is already aborted) or an
   * explicit `expectedVersion`. Default 0.
   */
  retryOnConflict?: number;
  metadata?: EventMetadata;
  /** Run inside the caller's transaction (outbox rows, saga state) instead of one of the store's own. */
  tx?: Queryable;
  /** Writes committed with the events, sent in their insert's statement, e.g. `outboxInsert(toEnvelopes(events))`. */
  alsoWrite?: (events: readonly PendingEvent<Event['type']>[]) => Statement[];
}

export interface CommandResult<Event extends DomainEvent, State> {
  state: State;
  /** Empty when the decider decided nothing needed to happen (an idempotent repeat). */
  newEvents: RecordedEvent<Event['type']>[];
  /** The stream's version after the command. */
  version: number;
}

export function foldEvents<Event extends DomainEvent, State>(
  decider: Pick<Decider<never, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions<Event> = {},
): Promise<CommandResult<Event, State>> {
  const retries = options.tx || typeof options.expectedVersion === 'number' ? 0 : (options.retryOnConflict ?? 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return options.tx
        ? await decideAndAppend(store, decider, streamId, command, options, options.tx)
        : await store.transaction((tx) => decideAndAppend(store, decider, streamId, command, options, tx));
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= retries) throw error;
    }
  }
}

async function decideAndAppend<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions<Event>,
  tx: Queryable,
): Promise<CommandResult<Event, State>> {
  // Locked before the read, not just at the append: two commands on one stream then queue up, and the second decides
  // on the first one's events instead of losing the expected-version check it could not have won. Lock and read are
  // one round trip; the append is told the lock is held, so it does not take it again, and that the read already
  // checked the head (one read, not two).
  const expected = options.expectedVersion;
  const { currentVersion, events } = await store.readStreamForAppend(tx, streamId, expected ?? 'any');
  if (expected !== undefined && expected !== 'any' && currentVersion !== (expected === 'no_stream' ? 0 : expected)) {
    throw new ConcurrencyError(streamId, expected, currentVersion);
  }
  // evolve sees the domain event only, not store bookkeeping (ids, positions, timestamps).
  const state = foldEvents(
    decider,
    events.map((event) => ({ type: event.type, data: event.data }) as Event),
  );
  const decided = decider.decide(command, state);
  if (decided.length === 0) return { state, newEvents: [], version: currentVersion };

  const appended = await store.appendToStream(streamId, decided, {
    tx,
    expectedVersion: currentVersion === 0 ? 'no_stream' : currentVersion,
    streamLocked: true,
    headVerified: true,
    metadata: options.metadata,
    alsoWrite: options.alsoWrite as ((events: readonly PendingEvent[]) => Statement[]) | undefined,
  });
  return {
    state: decided.reduce((next, event) => decider.evolve(next, event), state),
    newEvents: appended.events as RecordedEvent<Event['type']>[],
    version: appended.nextExpectedVersion,
  };
}
