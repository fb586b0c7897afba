/**
 * One trace across an HTTP call between two servers and an SNS/SQS-style message hop, plus a saga step resumed
 * later in a new trace linked to the stored context. Spans are explicit here (jest's module registry defeats
 * auto-instrumentation; `register.test.ts` covers that in a real node process), and the hops use the same
 * inject/extract helpers the messaging code uses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SpanKind, trace } from '@opentelemetry/api';
import pino from 'pino';
import { startActiveSpan, startLinkedSpan } from '../src/start-active-span';
import { startTestTracing } from '../src/testing';
import { extractTraceContext, injectTraceContext, withRemoteParent, type TraceCarrier } from '../src/trace-context';
import { traceLogMixin } from '../src/trace-log-mixin';

const tracing = startTestTracing({ serviceName: 'test' });
afterAll(() => tracing.stop());
beforeEach(() => tracing.reset());

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function carrierFrom(headers: http.IncomingHttpHeaders): Partial<TraceCarrier> {
  return {
    traceparent: headers.traceparent as string | undefined,
    tracestate: headers.tracestate as string | undefined,
  };
}

function logLines(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ mixin: traceLogMixin }, sink), lines };
}

describe('one trace across REST and a message hop', () => {
  it('parents each hop on the previous one, and links a resumed saga step to the stored context', async () => {
    const { logger, lines } = logLines();
    const outbox: { event: string; traceparent?: TraceCarrier }[] = [];

    const inventory = await listen((request, response) => {
      void startActiveSpan('GET /stock', { kind: SpanKind.SERVER, parent: carrierFrom(request.headers) }, () => {
        logger.info('stock checked');
        response.end('{"available":true}');
      });
    });
    const order = await listen((request, response) => {
      void startActiveSpan(
        'POST /orders',
        { kind: SpanKind.SERVER, parent: carrierFrom(request.headers) },
        async () => {
          await startActiveSpan('GET inventory /stock', { kind: SpanKind.CLIENT }, async () => {
            const answer = await fetch(`${inventory}/stock`, { headers: { ...injectTraceContext() } });
            await answer.text();
          });
          // The outbox row keeps the request's trace context until the relay publishes it.
          outbox.push({ event: 'OrderPlaced', traceparent: injectTraceContext() });
          response.end('{}');
        },
      );
    });

    await (await fetch(`${order}/orders`, { method: 'POST' })).text();

    // Relay (later, no request in scope): a PRODUCER span under the stored context; the message carries *its* context.
    const row = outbox[0]!;
    const messageAttributes = await startActiveSpan(
      'publish OrderPlaced',
      { kind: SpanKind.PRODUCER, parent: row.traceparent },
      () => injectTraceContext()!,
    );
    // Consumer (another service): a CONSUMER span whose parent is the message's traceparent.
    await startActiveSpan('process OrderPlaced', { kind: SpanKind.CONSUMER, parent: messageAttributes }, () =>
      logger.info('order history updated'),
    );
    // Saga step resumed after a restart: a new trace, linked (not parented) to the stored context.
    await startLinkedSpan('saga step create-shipment (resumed)', [row.traceparent], () => undefined);

    const spans = Object.fromEntries(tracing.collected().map((span) => [span.name, span]));
    const [orders, client, stock, publish, consume, resumed] = [
      'POST /orders',
      'GET inventory /stock',
      'GET /stock',
      'publish OrderPlaced',
      'process OrderPlaced',
      'saga step create-shipment (resumed)',
    ].map((name) => spans[name]!);

    const traceId = orders!.traceId;
    expect([client, stock, publish, consume].map((s) => s!.traceId)).toEqual(Array(4).fill(traceId));
    expect(orders!.parentSpanId).toBeUndefined();
    expect(client!.parentSpanId).toBe(orders!.spanId);
    expect(stock!.parentSpanId).toBe(client!.spanId);
    expect(publish!.parentSpanId).toBe(orders!.spanId);
    expect(consume!.parentSpanId).toBe(publish!.spanId);
    expect([orders, client, stock, publish, consume].map((s) => s!.kind)).toEqual([
      'server',
      'client',
      'server',
      'producer',
      'consumer',
    ]);

    expect(resumed!.traceId).not.toBe(traceId);
    expect(resumed!.parentSpanId).toBeUndefined();
    expect(resumed!.links).toEqual([{ traceId, spanId: orders!.spanId }]);

    // Log lines written inside a span carry its ids.
    expect(lines.find((l) => l.msg === 'stock checked')).toMatchObject({ trace_id: traceId, span_id: stock!.spanId });
    expect(lines.find((l) => l.msg === 'order history updated')).toMatchObject({
      trace_id: traceId,
      span_id: consume!.spanId,
    });
  });
});

describe('trace context helpers', () => {
  it('injects nothing outside a span, and logs carry no trace fields there', () => {
    expect(injectTraceContext()).toBeUndefined();
    expect(traceLogMixin()).toEqual({});
  });

  it('round-trips traceparent and tracestate', async () => {
    const incoming = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'shop=1' };
    const outgoing = withRemoteParent(incoming, () => injectTraceContext());
    expect(outgoing).toEqual(incoming);
    expect(trace.getSpanContext(extractTraceContext(incoming))).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      isRemote: true,
    });
  });

  it('starts a new trace when a message has no usable trace context', async () => {
    for (const carrier of [undefined, {}, { traceparent: 'garbage' }]) {
      await startActiveSpan('consume', { kind: SpanKind.CONSUMER, parent: carrier, links: [carrier] }, () => undefined);
    }
    const spans = tracing.collected();
    expect(spans).toHaveLength(3);
    expect(spans.every((s) => s.parentSpanId === undefined && s.links.length === 0)).toBe(true);
  });

  it('marks a failing span as an error and rethrows', async () => {
    await expect(
      startActiveSpan('charge card', {}, async () => {
        throw new Error('card declined');
      }),
    ).rejects.toThrow('card declined');
    const [span] = tracing.spans();
    expect(span!.status).toEqual({ code: 2, message: 'card declined' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    expect(span!.ended).toBe(true);
  });
});
