// The batch operations' shared rules: 1–10 entries with distinct, well-formed ids, and each entry run on its own.
import { AwsError } from '../aws-error';
import { optionalList } from './validate';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The `Entries` of a batch request, checked as a whole; `entryType` names them in the error, as SQS does. */
export function batchEntries(input: Input, entryType: string): Input[] {
  const entries = optionalList<unknown>(input, 'Entries') ?? [];
  if (entries.length === 0) {
    throw new AwsError('EmptyBatchRequest', `There should be at least one ${entryType} in the request.`, {
      queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    });
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = typeof entry === 'object' && entry !== null ? (entry as Input).Id : undefined;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
      );
    }
    if (seen.has(id)) {
      throw new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
        queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      });
    }
    seen.add(id);
  }
  return entries as Input[];
}

/** Runs each entry on its own: one entry's error becomes a Failed item, never the whole request's error. */
export function runBatch(entries: Input[], run: (entry: Input) => Output): Output {
  const successful: Output[] = [];
  const failed: Output[] = [];
  for (const entry of entries) {
    try {
      successful.push({ Id: entry.Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failed.push({
        Id: entry.Id,
        SenderFault: error.fault === 'Sender',
        Code: error.queryCode,
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}
