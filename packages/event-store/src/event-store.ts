/**
 * The event store: append to a stream with an expected version, read a stream, read the whole log in a gap-safe
 * order. Plain SQL over `@shop/db`, identical on PGlite and Postgres.
 */
import { systemClock, uuidv7, type Clock } from '@shop/clock';
import { alongside, isUniqueViolation, runStatement, type Database, type Queryable, type Statement } from '@shop/db';
import { ConcurrencyError } from './concurrency-error';
import type { EventMetadata, ExpectedVersion, LogPosition, NewEvent, PendingEvent, RecordedEvent } from './events';
import { START_OF_LOG } from './events';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-rows';
import { readLog } from './read-log';
import type { Projection } from './projection';

export interface EventStoreOptions {
  /** Stamps `recordedAt` (wall time); a FakeClock in tests. */
  clock?: Clock;
  /** Generates ids for events appended without one; UUIDv7 by default. */
  newEventId?: () => string;
  /** Read models updated in the appending transaction itself (consistent with the append, no lag). */
  inlineProjections?: readonly Projection[];
}

export interface AppendOptions {
  /** Default `'any'`. A number, or `'no_stream'` (= 0 events), makes the append fail with ConcurrencyError unless it matches. */
  expectedVersion?: ExpectedVersion;
  /**
   * Append inside the caller's transaction (e.g. from `store.transaction` or `db.transaction`), so outbox rows,
   * saga state or anything else commit atomically with the events. Without it the store opens its own.
   */
  tx?: Queryable;
  /** Merged into every event's metadata (an event's own metadata wins). */
  metadata?: EventMetadata;
  /**
   * Writes that commit with the events — the place to enqueue integration events in the outbox. Given as statements
   * (built from the events as known before their insert) so they travel in the insert's own statement: they must
   * only write, and touch no row the inline projections write.
   */
  alsoWrite?: (events: readonly PendingEvent[]) => Statement[];
  /** `tx` already holds this stream's lock (`handleCommand` takes it before reading): do not take it again. */
  streamLocked?: boolean;
  /**
   * `tx` read the stream after taking the lock (`readStreamForAppend`), so the head is known and was checked for a
   * younger writer: the append trusts `expectedVersion` as the head instead of reading it again.
   */
  headVerified?: boolean;
}

export interface AppendResult {
  /** The stream's version after this append: pass it as `expectedVersion` to append again without re-reading. */
  nextExpectedVersion: number;
  events: RecordedEvent[];
}

export interface ReadStreamOptions {
  /** First version to return (inclusive). 0 and 1 both mean "from the first event". */
  fromVersion?: number;
  tx?: Queryable;
}

export interface StreamSlice {
  /** The stream's current version: 0 when it has no events. */
  currentVersion: number;
  events: RecordedEvent[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: the start of the log. */
  after?: LogPosition;
  /** Default 1000. */
  limit?: number;
  tx?: Queryable;
}

export interface EventStore {
  readonly db: Database;
  readonly inlineProjections: readonly Projection[];
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StreamSlice>;
  /** Committed events in log order, never returning one behind a position a reader has already passed. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * What a command loads before it appends (`handleCommand`): takes the stream's append lock in `tx` (see
   * `lockStreamForAppend`) and reads the whole stream after it, in ONE round trip (a function in the event store's
   * migrations, see 003_event_store_lock_and_read.sql), checking its head for a younger writer as the append would
   * (ConcurrencyError, reported against `expected`) — so the append can be told `streamLocked` and `headVerified`.
   */
  readStreamForAppend(tx: Queryable, streamId: string, expected: ExpectedVersion): Promise<StreamSlice>;
  /** `db.transaction`, plus a wake-up for in-process projectors once it commits. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Called after each transaction run through the store commits; returns an unsubscribe function. */
  onCommitted(listener: () => void): () => void;
}

export function createEventStore(db: Database, options: EventStoreOptions = {}): EventStore {
  const clock = options.clock ?? systemClock;
  const newEventId = options.newEventId ?? (() => uuidv7(clock.now()));
  const inlineProjections = options.inlineProjections ?? [];
  const listeners = new Set<() => void>();
  // On PGlite a no-op: its one connection already runs transactions one at a time, so no other writer can come
  // between this transaction's read and its append, and the lock would be a round trip that guards nothing.
  const lockStream =
    db.engine === 'pglite'
      ? async () => undefined
      : (tx: Queryable, streamId: string) => lockStreamForAppend(tx, streamId);

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    for (const listener of listeners) listener();
    return result;
  }

  async function appendInTransaction(
    tx: Queryable,
    streamId: string,
    events: readonly NewEvent[],
    appendOptions: AppendOptions,
  ): Promise<AppendResult> {
    const expected = appendOptions.expectedVersion ?? 'any';
    if (!appendOptions.streamLocked) await lockStream(tx, streamId);
    const current = appendOptions.headVerified ? versionOf(expected) : await readStreamHead(tx, streamId, expected);
    if (expected !== 'any' && current !== versionOf(expected)) {
      throw new ConcurrencyError(streamId, expected, current);
    }
    const pending = toPendingEvents(streamId, current, events, appendOptions.metadata);
    // One event, and projections that can say their writes as statements: the event, its read-model writes and the
    // caller's (the outbox) go to the server as one statement. Several events keep the projections' writes in
    // order, one after another, since one event's update may need the row the previous one inserted.
    const combinable = pending.length === 1 && inlineProjections.every((projection) => projection.writesFor);
    const withInsert = [
      ...(combinable ? inlineProjections.flatMap((projection) => projection.writesFor!(pending[0]!)) : []),
      ...(appendOptions.alsoWrite?.(pending) ?? []),
    ];
    let recorded: RecordedEvent[];
    try {
      recorded = await insertEvents(tx, pending, withInsert);
    } catch (error) {
      // Backstop for writers that bypass the stream lock: the unique (stream_id, version) index lets only one of
      // two inserts of the same version commit.
      if (isUniqueViolation(error, STREAM_VERSION_KEY)) throw new ConcurrencyError(streamId, expected, undefined);
      throw error;
    }
    if (!combinable) {
      for (const projection of inlineProjections) {
        for (const event of recorded) await projection.handle(tx, event);
      }
    }
    return { nextExpectedVersion: recorded.at(-1)!.version, events: recorded };
  }

  function toPendingEvents(
    streamId: string,
    currentVersion: number,
    events: readonly NewEvent[],
    metadata: EventMetadata | undefined,
  ): PendingEvent[] {
    const recordedAt = new Date(clock.now());
    return events.map((event, index) => ({
      eventId: event.eventId ?? newEventId(),
      streamId,
      version: currentVersion + index + 1,
      type: event.type,
      data: event.data,
      metadata: { ...metadata, ...event.metadata },
      recordedAt,
    }));
  }

  async function insertEvents(
    tx: Queryable,
    events: readonly PendingEvent[],
    writes: readonly Statement[],
  ): Promise<RecordedEvent[]> {
    const params: unknown[] = [];
    const rows = events.map((event) => {
      params.push(
        event.eventId,
        event.streamId,
        event.version,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        event.recordedAt.toISOString(),
      );
      const p = params.length - 7;
      // ::text::jsonb: both drivers pass the JSON text through untouched (no array or double-encoding surprises).
      return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::text::jsonb, $${p + 6}::text::jsonb, $${p + 7}::timestamptz)`;
    });
    const insert: Statement = {
      sql: `INSERT INTO event_store_events (event_id, stream_id, version, type, data, metadata, recorded_at)
       VALUES ${rows.join(', ')}
       RETURNING ${EVENT_COLUMNS}`,
      params,
    };
    const { rows: inserted } = await runStatement<EventRow>(tx, alongside(insert, writes));
    return inserted.map(toRecordedEvent).sort((a, b) => a.version - b.version);
  }

  return {
    db,
    inlineProjections,

    async appendToStream(streamId, events, appendOptions = {}) {
      if (events.length === 0) throw new Error(`appendToStream(${streamId}): nothing to append`);
      if (appendOptions.tx) return appendInTransaction(appendOptions.tx, streamId, events, appendOptions);
      return transaction((tx) => appendInTransaction(tx, streamId, events, appendOptions));
    },

    async readStream(streamId, { fromVersion = 0, tx = db } = {}) {
      const { rows } = await tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM event_store_events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
        [streamId, fromVersion],
      );
      const slice = toStreamSlice(streamId, rows);
      // Read from the start, no rows is an empty stream (events are never deleted): no second query for its version.
      if (slice.events.length > 0 || fromVersion <= 1) return slice;
      return { currentVersion: await streamVersion(tx, streamId), events: [] };
    },

    async readStreamForAppend(tx, streamId, expected) {
      // The younger-writer check runs on the function's rows, after the lock: the transaction id it may assign here
      // is then younger than the previous appender's, as `lockStreamForAppend` explains.
      const { rows } = await tx.query<StreamRow>(
        `SELECT ${EVENT_COLUMNS}, transaction_id > pg_current_xact_id() AS younger_writer
           FROM event_store_lock_and_read($1, $2) ORDER BY version`,
        [STREAM_LOCK_NAMESPACE, streamId],
      );
      return toStreamSlice(streamId, rows, expected);
    },

    async readAll({ after = START_OF_LOG, limit = 1000, tx = db } = {}) {
      return readLog(tx, { after, limit, horizon: 'finished-transactions' });
    },

    transaction,

    onCommitted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const STREAM_VERSION_KEY = 'event_store_events_stream_version_key';

type StreamRow = EventRow & { younger_writer?: boolean };

/** A read of a stream's events as a slice; with `expected`, a younger writer at its head is a ConcurrencyError. */
function toStreamSlice(streamId: string, rows: readonly StreamRow[], expected?: ExpectedVersion): StreamSlice {
  const events = rows.map(toRecordedEvent);
  const last = events.at(-1);
  if (!last) return { currentVersion: 0, events };
  if (expected !== undefined && rows.at(-1)!.younger_writer)
    throw new ConcurrencyError(streamId, expected, last.version);
  return { currentVersion: last.version, events };
}

function versionOf(expected: ExpectedVersion): number {
  if (expected === 'any') throw new Error('headVerified needs the version the stream was read at, not "any"');
  return expected === 'no_stream' ? 0 : expected;
}

async function streamVersion(tx: Queryable, streamId: string): Promise<number> {
  const { rows } = await tx.query<{ version: number | string }>(
    'SELECT coalesce(max(version), 0) AS version FROM event_store_events WHERE stream_id = $1',
    [streamId],
  );
  return Number(rows[0]!.version);
}

/** Arbitrary constant: the advisory-lock namespace of stream appends (the two-int key space, apart from bigint keys). */
const STREAM_LOCK_NAMESPACE = 7_240_118;

/**
 * Appenders to one stream queue up until the first commits (`handleCommand` takes it before it reads the stream, so
 * a second writer reads what the first committed instead of failing its expected-version check). Two reasons, both about `readAll` order rather than
 * correctness of versions (the unique index guarantees that on its own):
 * - the lock is taken before this transaction has an id (unless the caller wrote earlier), so the id assigned at
 *   the insert is younger than the previous appender's, and a stream's versions sort in the same order as the log;
 * - `'any'` appends get the next version without a retry loop, and a stale expected version is reported with the
 *   actual version instead of a bare unique violation.
 */
export async function lockStreamForAppend(tx: Queryable, streamId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK_NAMESPACE, streamId]);
}

/**
 * The stream's current version, checked for the one ordering hazard the lock cannot prevent: this transaction got
 * its id before the lock (it did other writes first) and a younger transaction appended meanwhile. Our event would
 * then sort BEFORE its predecessor in `readAll`, so it is reported as a conflict; the retry runs in a new, younger
 * transaction and succeeds.
 */
async function readStreamHead(tx: Queryable, streamId: string, expected: ExpectedVersion): Promise<number> {
  const { rows } = await tx.query<{ version: number | string; younger_writer: boolean }>(
    `SELECT version, transaction_id > pg_current_xact_id() AS younger_writer
       FROM event_store_events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`,
    [streamId],
  );
  const last = rows[0];
  if (!last) return 0;
  if (last.younger_writer) throw new ConcurrencyError(streamId, expected, Number(last.version));
  return Number(last.version);
}
