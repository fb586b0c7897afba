/** A read model built from the log: how it applies an event, and how it is emptied before a rebuild. */
import type { Queryable, Statement } from '@shop/db';
import type { PendingEvent, RecordedEvent } from './events';

export interface Projection {
  /** Stable name: the checkpoint key of an asynchronous projection. */
  readonly name: string;
  /**
   * Applies one event to the read model. Runs in a transaction together with the checkpoint update (asynchronous)
   * or the append itself (inline), so a crash never applies an event twice or loses one. Ignore unknown types.
   */
  handle(tx: Queryable, event: RecordedEvent): Promise<void>;
  /**
   * Optional, for an inline projection that only writes: the statements `handle` would run for `event`, not run.
   * The store then sends them inside the append's own statement (`alongside` in @shop/db) — one round trip for the
   * event and its read model instead of two. Built from what is known before the insert (no log position), and
   * `handle` must do exactly the same (`runStatements(tx, projection.writesFor(event))`).
   */
  writesFor?(event: PendingEvent): Statement[];
  /**
   * Empties the read model before a rebuild. Prefer DELETE to TRUNCATE: readers keep seeing the old model until
   * the rebuild commits, instead of waiting on TRUNCATE's exclusive lock.
   */
  reset(tx: Queryable): Promise<void>;
}
