/**
 * Tracing for tests, without auto-instrumentation (jest's module registry defeats require-time patching):
 * a real tracer provider, async context and W3C propagation, recording finished spans in memory.
 *
 *   const tracing = startTestTracing();
 *   afterAll(() => tracing.stop());
 *   … tracing.spans() / tracing.collected() / tracing.reset()
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { toCollectedSpan, type CollectedSpan } from './trace-viewer/collected-span';

export { InMemorySpanExporter };

export interface TestTracing {
  exporter: InMemorySpanExporter;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The same spans in the collector's JSON shape (what `renderWaterfall` takes). */
  collected(): CollectedSpan[];
  reset(): void;
  /** Unregisters the provider and context manager, so the next test file starts clean. */
  stop(): Promise<void>;
}

export function startTestTracing(options: { serviceName?: string } = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'test-service' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  // SDK 3 has no `register()`: the three globals a Node process needs are set here, as NodeSDK sets them.
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    collected: () => exporter.getFinishedSpans().map(toCollectedSpan),
    reset: () => exporter.reset(),
    stop: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
