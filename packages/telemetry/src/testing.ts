/**
 * Tracing for tests, without auto-instrumentation (jest's module registry defeats require-time patching):
 * a real tracer provider, async context and W3C propagation, recording finished spans in memory.
 *
 *   const tracing = startTestTracing();
 *   afterAll(() => tracing.stop());
 *   … tracing.spans() / tracing.collected() / tracing.reset()
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
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
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'test-service' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.register();
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
