/**
 * A tiny trace collector for runs without Jaeger: services export spans to it over HTTP (see
 * `CollectorSpanExporter`, or OTLP/HTTP JSON at `/v1/traces`), and it keeps the latest traces in memory for the
 * demo and for tests to wait on and render. Plain `node:http`, bound to 127.0.0.1 by default.
 *
 *   POST /v1/spans      `{ spans: CollectedSpan[] }`       (CollectorSpanExporter)
 *   POST /v1/traces     OTLP/HTTP JSON                     (OTEL_TRACES_EXPORTER=otlp, JSON protocol)
 *   GET  /traces        `[{ traceId, spans, services, root, startTimeMs }]`, newest last
 *   GET  /traces/:id    the trace as a waterfall (text/plain)
 *   GET  /traces/:id/spans   its spans as JSON (`CollectedSpan[]`), for viewers that draw their own waterfall
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollectedSpan } from './collected-span';
import { fromOtlpJson, type OtlpTraceExport } from './otlp-json';
import { renderWaterfall } from './waterfall';

export interface TraceCollectorOptions {
  /** 0 (default) lets the OS choose; read the result from `url`. */
  port?: number;
  host?: string;
  /** Oldest traces are forgotten beyond this many. Default 1000. */
  maxTraces?: number;
  /** Largest accepted request body. Default 5 MiB. */
  maxBodyBytes?: number;
}

export interface WaitForTraceOptions {
  /** Resolve once the trace has at least this many spans. Default 1. */
  minSpans?: number;
  /** …and spans from each of these services. */
  services?: string[];
  /** Default 5000 ms. */
  timeoutMs?: number;
}

export interface TraceCollector {
  /** Base URL to give services as `TRACE_COLLECTOR_URL`. */
  url: string;
  /** Every trace held, by trace id, in arrival order. */
  traces(): Map<string, CollectedSpan[]>;
  /** The spans of one trace so far (empty if unknown). */
  getTrace(traceId: string): CollectedSpan[];
  /** Resolves with the trace's spans once the condition holds; rejects after the timeout saying what arrived. */
  waitForTrace(traceId: string, options?: WaitForTraceOptions): Promise<CollectedSpan[]>;
  close(): Promise<void>;
}

export async function startTraceCollector(options: TraceCollectorOptions = {}): Promise<TraceCollector> {
  const maxTraces = options.maxTraces ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const store = new Map<string, CollectedSpan[]>();
  const waiters = new Set<() => void>();

  function add(spans: CollectedSpan[]): void {
    for (const span of spans) {
      const trace = store.get(span.traceId);
      if (trace) trace.push(span);
      else {
        store.set(span.traceId, [span]);
        if (store.size > maxTraces) store.delete(store.keys().next().value as string);
      }
    }
    for (const check of [...waiters]) check();
  }

  const server = http.createServer((request, response) => {
    const reply = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    const path = new URL(request.url ?? '/', 'http://collector').pathname;
    if (request.method === 'GET' && path === '/traces') {
      const summary = [...store].map(([traceId, spans]) => ({
        traceId,
        spans: spans.length,
        services: [...new Set(spans.map((s) => s.service))],
        root: spans.find((s) => !s.parentSpanId)?.name,
        startTimeMs: Math.min(...spans.map((s) => s.startTimeMs)),
      }));
      return reply(200, JSON.stringify(summary));
    }
    if (request.method === 'GET' && /^\/traces\/[^/]+\/spans$/.test(path)) {
      const spans = store.get(path.slice('/traces/'.length, -'/spans'.length)) ?? [];
      return spans.length ? reply(200, JSON.stringify(spans)) : reply(404, '{}');
    }
    if (request.method === 'GET' && path.startsWith('/traces/')) {
      const spans = store.get(path.slice('/traces/'.length)) ?? [];
      return spans.length ? reply(200, renderWaterfall(spans), 'text/plain; charset=utf-8') : reply(404, '{}');
    }
    if (request.method !== 'POST' || (path !== '/v1/spans' && path !== '/v1/traces')) return reply(404, '{}');

    readBody(request, maxBodyBytes).then(
      (text) => {
        try {
          const body = JSON.parse(text) as { spans?: CollectedSpan[] } & OtlpTraceExport;
          add(path === '/v1/spans' ? (body.spans ?? []) : fromOtlpJson(body));
          reply(200, '{}');
        } catch (error) {
          reply(400, JSON.stringify({ error: (error as Error).message }));
        }
      },
      () => reply(413, '{}'),
    );
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    traces: () => new Map(store),
    getTrace: (traceId) => [...(store.get(traceId) ?? [])],
    waitForTrace(traceId, { minSpans = 1, services = [], timeoutMs = 5000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const spans = store.get(traceId) ?? [];
          const seen = new Set(spans.map((s) => s.service));
          if (spans.length < minSpans || !services.every((service) => seen.has(service))) return;
          done();
          resolve([...spans]);
        };
        const timer = setTimeout(() => {
          done();
          const spans = store.get(traceId) ?? [];
          const got = spans.map((s) => `${s.service}:${s.name}`).join(', ') || 'no spans';
          reject(
            new Error(
              `trace ${traceId} incomplete after ${timeoutMs} ms (wanted ${minSpans} spans from [${services.join(', ')}]; got ${got})`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Exporters keep their connection alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Keep draining an oversized body (dropping it) so the 413 can still be written on the same socket.
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () =>
      size > limit ? reject(new Error('body too large')) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}
