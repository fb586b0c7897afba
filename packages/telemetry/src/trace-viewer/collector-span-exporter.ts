/**
 * Sends finished spans as JSON to the trace collector (`TRACE_COLLECTOR_URL`), so spans from every service
 * process land in one place the waterfall can read. Use it behind a `BatchSpanProcessor` (the telemetry
 * bootstrap does): the processor batches, this exporter POSTs each batch once (no retries).
 * It never throws into the application: a collector that is down only costs the spans of that batch.
 */
import http from 'node:http';
import { context } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { toCollectedSpan } from './collected-span';

export interface CollectorSpanExporterOptions {
  /** The collector's base URL, e.g. `http://127.0.0.1:4319`. */
  url: string;
  /** Give up on one batch after this long. Default 2000 ms. */
  timeoutMs?: number;
}

export class CollectorSpanExporter implements SpanExporter {
  private readonly endpoint: URL;
  private readonly timeoutMs: number;
  // Its own agent so shutdown can drop the kept-alive socket instead of holding the process open.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(options: CollectorSpanExporterOptions) {
    this.endpoint = new URL('/v1/spans', options.url);
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('CollectorSpanExporter is shut down') });
      return;
    }
    const sending = this.send(spans).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
    this.agent.destroy();
  }

  private async send(spans: ReadableSpan[]): Promise<void> {
    const body = JSON.stringify({ spans: spans.map(toCollectedSpan) });
    // The HTTP instrumentation would otherwise trace this request, and export that span, and so on forever.
    await context.with(suppressTracing(context.active()), () => this.post(body));
  }

  private post(body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.request(this.endpoint, {
        method: 'POST',
        agent: this.agent,
        timeout: this.timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      request.on('timeout', () => request.destroy(new Error(`trace collector did not answer in ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.on('response', (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode && response.statusCode < 300
            ? resolve()
            : reject(new Error(`trace collector answered ${response.statusCode}`)),
        );
      });
      request.end(body);
    });
  }
}
