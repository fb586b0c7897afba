/**
 * Rebuilding a read model from the log: empty it, replay every event from position 0, all in one transaction, so
 * readers see the old model until the new one commits, complete.
 */
import { lockCheckpoint, saveCheckpoint } from './checkpoints';
import type { EventStore } from './event-store';
import { positionOf, START_OF_LOG, type LogPosition } from './events';
import type { Projection } from './projection';
import { readLog, type ReadLogOptions } from './read-log';

const REPLAY_BATCH = 1000;

export interface RebuildResult {
  replayed: number;
}

export async function rebuildProjection(store: EventStore, projection: Projection): Promise<RebuildResult> {
  const inline = store.inlineProjections.includes(projection);
  return store.db.transaction(async (tx) => {
    let horizon: ReadLogOptions['horizon'];
    if (inline) {
      // Inline read models are written by the appenders themselves, so the replay must see exactly the events
      // committed before it, and every later append must apply itself after it. A SHARE lock does both: it waits
      // for in-flight appends to commit, and holds new ones back until the rebuild commits.
      await tx.query('LOCK TABLE event_store_events IN SHARE MODE');
      horizon = 'all-committed';
    } else {
      // The checkpoint lock keeps the projector out; events the replay cannot see yet are left to it afterwards.
      await lockCheckpoint(tx, projection.name);
      horizon = 'finished-transactions';
    }
    await projection.reset(tx);
    let after: LogPosition = START_OF_LOG;
    let replayed = 0;
    for (;;) {
      const events = await readLog(tx, { after, limit: REPLAY_BATCH, horizon });
      for (const event of events) await projection.handle(tx, event);
      replayed += events.length;
      if (events.length > 0) after = positionOf(events.at(-1)!);
      if (events.length < REPLAY_BATCH) break;
    }
    if (!inline) await saveCheckpoint(tx, projection.name, after);
    return { replayed };
  });
}
