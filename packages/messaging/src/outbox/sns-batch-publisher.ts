/**
 * One PublishBatch of outbox events to the producer's topic, traced per event, behind the relay's circuit breaker
 * with a timeout inside it (so a hung call counts as a failure and ends well inside the claim's lease).
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { pipeline, type CircuitBreaker, type TimeoutPolicy } from '@shop/resilience';
import { endPublishSpans, startPublishSpan } from '../tracing';
import type { PendingEvent } from './outbox-store';

export interface SnsBatchPublisherOptions {
  readonly sns: Pick<SNSClient, 'send'>;
  readonly breaker: CircuitBreaker;
  readonly timeout: TimeoutPolicy;
}

/** Publishes `batch` (at most 10 events) to `topicArn`; resolves with the ids of the entries SNS rejected. */
export type SnsBatchPublisher = (topicArn: string, batch: readonly PendingEvent[]) => Promise<ReadonlySet<string>>;

export function createSnsBatchPublisher({ sns, breaker, timeout }: SnsBatchPublisherOptions): SnsBatchPublisher {
  const policy = pipeline(breaker, timeout);
  return async (topicArn, batch) => {
    const spans = batch.map((event) =>
      startPublishSpan(
        { ...event, eventId: String(event.envelope.eventId), traceparent: event.traceparent ?? undefined },
        topicArn,
      ),
    );
    const entries = batch.map((event, i) => entryOf(event, spans[i]!.traceparent));
    try {
      const result = await policy.execute((abortSignal) =>
        sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }), { abortSignal }),
      );
      const rejected = new Set((result.Failed ?? []).map((entry) => entry.Id!));
      endPublishSpans(
        spans.filter((_, i) => rejected.has(batch[i]!.id)),
        'rejected by SNS',
      );
      endPublishSpans(spans.filter((_, i) => !rejected.has(batch[i]!.id)));
      return rejected;
    } catch (error) {
      endPublishSpans(spans, error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}

function entryOf(event: PendingEvent, traceparent: string | undefined): PublishBatchRequestEntry {
  return {
    Id: event.id,
    Message: JSON.stringify(event.envelope),
    // Subscriptions filter on eventType; raw delivery turns these into SQS message attributes.
    MessageAttributes: {
      eventType: { DataType: 'String', StringValue: event.eventType },
      aggregateId: { DataType: 'String', StringValue: event.aggregateId },
      ...(traceparent ? { traceparent: { DataType: 'String', StringValue: traceparent } } : {}),
    },
  };
}
