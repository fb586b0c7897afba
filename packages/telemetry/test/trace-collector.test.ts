import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { startTestTracing } from '../src/testing';
import { CollectorSpanExporter } from '../src/trace-viewer/collector-span-exporter';
import { startTraceCollector, type TraceCollector } from '../src/trace-viewer/trace-collector';

const tracing = startTestTracing({ serviceName: 'order-service' });
let collector: TraceCollector;

beforeEach(async () => {
  tracing.reset();
  collector = await startTraceCollector({ port: 0 });
});
afterEach(() => collector.close());
afterAll(() => tracing.stop());

/** Two finished spans of one trace: a server span and a failed child. */
function recordCheckout(): ReadableSpan[] {
  const tracer = trace.getTracer('test');
  tracer.startActiveSpan('POST /orders', { kind: SpanKind.SERVER }, (root) => {
    tracer.startActiveSpan('reserve stock', (child) => {
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock' });
      child.end();
    });
    root.end();
  });
  return tracing.spans();
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('CollectorSpanExporter → startTraceCollector', () => {
  it('delivers finished spans that a test can wait for and render', async () => {
    const spans = recordCheckout();
    const traceId = spans[0]!.spanContext().traceId;
    const exporter = new CollectorSpanExporter({ url: collector.url });

    await expect(exportWith(exporter, spans)).resolves.toEqual({ code: ExportResultCode.SUCCESS });
    const received = await collector.waitForTrace(traceId, { minSpans: 2, services: ['order-service'] });
    await exporter.shutdown();

    const root = received.find((s) => s.name === 'POST /orders')!;
    const child = received.find((s) => s.name === 'reserve stock')!;
    expect(root).toMatchObject({ service: 'order-service', kind: 'server', traceId });
    expect(root.parentSpanId).toBeUndefined();
    expect(child).toMatchObject({ parentSpanId: root.spanId, error: 'out of stock', kind: 'internal' });
    expect(collector.traces().get(traceId)).toHaveLength(2);

    const page = await fetch(`${collector.url}/traces/${traceId}`);
    expect(await page.text()).toMatch(/order-service\s+reserve stock .*error: out of stock/);
    const json = await fetch(`${collector.url}/traces/${traceId}/spans`).then((r) => r.json());
    expect(json).toEqual(received);
    const summary = await fetch(`${collector.url}/traces`).then((r) => r.json());
    expect(summary).toContainEqual(
      expect.objectContaining({ traceId, spans: 2, root: 'POST /orders', startTimeMs: root.startTimeMs }),
    );
    expect((await fetch(`${collector.url}/traces/${'0'.repeat(32)}/spans`)).status).toBe(404);
  });

  it('also accepts OTLP/HTTP JSON, so OTEL_TRACES_EXPORTER=otlp can point at it', async () => {
    const spans = recordCheckout();
    const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
    // (The OTLP exporter loads `http` with a dynamic import: why this package's jest runs with vm modules.)
    await expect(exportWith(exporter, spans)).resolves.toMatchObject({ code: ExportResultCode.SUCCESS });
    await exporter.shutdown();

    const received = collector.getTrace(spans[0]!.spanContext().traceId);
    expect(received.map((s) => [s.name, s.kind, s.service, s.error])).toEqual([
      ['reserve stock', 'internal', 'order-service', 'out of stock'],
      ['POST /orders', 'server', 'order-service', undefined],
    ]);
    expect(received[0]!.parentSpanId).toBe(received[1]!.spanId);
  });

  it('reports a failed export instead of throwing when the collector is down', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const exporter = new CollectorSpanExporter({ url: `http://127.0.0.1:${port}` });
    const result = await exportWith(exporter, recordCheckout());
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/ECONNREFUSED/);
    await expect(exportWith(exporter, [])).resolves.toMatchObject({ code: ExportResultCode.FAILED });
  });

  it('says what arrived when a trace stays incomplete', async () => {
    const spans = recordCheckout();
    await exportWith(new CollectorSpanExporter({ url: collector.url }), spans.slice(0, 1));
    await expect(
      collector.waitForTrace(spans[0]!.spanContext().traceId, { services: ['payment-service'], timeoutMs: 20 }),
    ).rejects.toThrow(/wanted 1 spans from \[payment-service\]; got order-service:reserve stock/);
  });

  it('rejects bodies that are not JSON', async () => {
    const response = await fetch(`${collector.url}/v1/spans`, { method: 'POST', body: 'nope' });
    expect(response.status).toBe(400);
  });
});
