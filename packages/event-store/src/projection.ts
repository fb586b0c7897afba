/** A read model built from the log: how it applies an event, and how it is emptied before a rebuild. */
import type { Queryable } from '@shop/db';
import type { RecordedEvent } from './events';

export interface Projection {
  /** Stable name: the checkpoint key of an asynchronous projection. */
  readonly name: string;
  /**
   * Applies one event to the read model. Runs in a transaction together with the checkpoint update (asynchronous)
   * or the append itself (inline), so a crash never applies an event twice or loses one. Ignore unknown types.
   */
  handle(tx: Queryable, event: RecordedEvent): Promise<void>;
  /**
   * Empties the read model before a rebuild. Prefer DELETE to TRUNCATE: readers keep seeing the old model until
   * the rebuild commits, instead of waiting on TRUNCATE's exclusive lock.
   */
  reset(tx: Queryable): Promise<void>;
}
