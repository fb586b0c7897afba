// What an event written because of a request carries: correlation, causation and the active span's trace context.
import { startActiveSpan } from '@shop/telemetry';
import { startTestTracing } from '@shop/telemetry/testing';
import { eventMetadataOf } from '../src';

const tracing = startTestTracing({ serviceName: 'event-metadata-test' });
afterAll(() => tracing.stop());

const CALLER_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const request = (headers: Record<string, string> = {}) => ({ id: 'req-1', headers });

describe('eventMetadataOf', () => {
  it('starts the correlation at this request when the caller sent none', () => {
    expect(eventMetadataOf(request())).toEqual({ correlationId: 'req-1', causationId: 'req-1' });
  });

  it('keeps the caller’s correlation id, and names this request as the cause', () => {
    expect(eventMetadataOf(request({ 'x-correlation-id': 'checkout-42' }))).toMatchObject({
      correlationId: 'checkout-42',
      causationId: 'req-1',
    });
  });

  it('does not adopt a correlation id that is unsafe to log or store', () => {
    for (const unsafe of ['x'.repeat(129), 'two words', '{"a":1}']) {
      expect(eventMetadataOf(request({ 'x-correlation-id': unsafe })).correlationId).toBe('req-1');
    }
  });

  it('carries the active span’s traceparent, not the caller’s, when a span is recording', async () => {
    const metadata = await startActiveSpan('POST /reservations', {}, async (span) => {
      const { traceId, spanId } = span.spanContext();
      return { metadata: eventMetadataOf(request({ traceparent: CALLER_TRACEPARENT })), traceId, spanId };
    });
    expect(metadata.metadata.traceparent).toBe(`00-${metadata.traceId}-${metadata.spanId}-01`);
  });

  it('falls back to the caller’s traceparent without a span, and drops a malformed one', () => {
    expect(eventMetadataOf(request({ traceparent: CALLER_TRACEPARENT })).traceparent).toBe(CALLER_TRACEPARENT);
    expect(eventMetadataOf(request({ traceparent: 'not-a-traceparent' }))).not.toHaveProperty('traceparent');
  });
});
