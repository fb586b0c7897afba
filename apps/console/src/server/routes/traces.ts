/**
 * Traces: under `pnpm demo` the demo's in-process collector holds them and the console draws the waterfall; under
 * compose they are in Jaeger, and the console links there instead.
 */
import { HttpProblem, Type, type ServiceApp } from '@shop/service-kit';
import type { TraceSource, TraceSpan, TraceSummary } from '../../shared/console-api';

export interface TraceSettings {
  collectorUrl?: string;
  jaegerUrl?: string;
}

const RECENT = 30;

export function registerTraceRoutes(app: ServiceApp, settings: TraceSettings): void {
  const { collectorUrl, jaegerUrl } = settings;
  const fromCollector = async (path: string) => {
    if (!collectorUrl) throw new HttpProblem(404, 'no-collector', 'No trace collector', 'traces are in Jaeger here');
    try {
      return await fetch(`${collectorUrl}${path}`, { signal: AbortSignal.timeout(3_000) });
    } catch {
      throw new HttpProblem(
        502,
        'collector-unavailable',
        'Trace collector unavailable',
        `${collectorUrl} did not answer`,
      );
    }
  };

  app.get('/api/traces', async () => {
    const source: TraceSource = { collector: collectorUrl !== undefined, ...(jaegerUrl ? { jaegerUrl } : {}) };
    if (!collectorUrl) return { source, traces: [] };
    // Requests that crossed services; single-service fragments (a consumer's poll, a relay's pass) are noise here.
    const traces = ((await (await fromCollector('/traces')).json()) as TraceSummary[])
      .filter((trace) => trace.root && trace.services.length > 1)
      .slice(-RECENT)
      .reverse();
    return { source, traces };
  });

  app.get(
    '/api/traces/:traceId',
    { schema: { params: Type.Object({ traceId: Type.String({ pattern: '^[0-9a-f]{32}$' }) }) } },
    async (request) => {
      const response = await fromCollector(`/traces/${request.params.traceId}/spans`);
      // Spans arrive in batches from each process: "none yet" is a normal answer the page keeps asking about.
      if (response.status === 404) return { spans: [] };
      const spans = (await response.json()) as TraceSpan[];
      return {
        spans: spans.map(({ traceId, spanId, parentSpanId, service, name, kind, startTimeMs, durationMs, error }) => ({
          traceId,
          spanId,
          ...(parentSpanId ? { parentSpanId } : {}),
          service,
          name,
          kind,
          startTimeMs,
          durationMs,
          ...(error ? { error } : {}),
        })),
      };
    },
  );
}
