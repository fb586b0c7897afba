/** How an event row is selected and turned into a RecordedEvent — the same for every query. */
import type { EventMetadata, RecordedEvent } from './events';

export const EVENT_COLUMNS = `event_id::text AS event_id, stream_id, version, global_position,
  transaction_id::text AS transaction_id, type, data, metadata, recorded_at`;

export interface EventRow {
  event_id: string;
  stream_id: string;
  version: number | string;
  global_position: number | string;
  transaction_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date | string;
  [column: string]: unknown;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    // node-postgres returns bigint as a string, PGlite as a number: normalise once, here.
    version: Number(row.version),
    globalPosition: Number(row.global_position),
    transactionId: row.transaction_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_at),
  };
}
