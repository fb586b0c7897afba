/**
 * The real bootstrap, in real node processes (not jest, whose module registry defeats require-time patching):
 * two services started with `--require` of the register hook, exporting to the trace collector. A request with a
 * known traceparent goes through both; the collector must hold one trace with the right parent/child chain.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { startTraceCollector, type TraceCollector } from '../src/trace-viewer/trace-collector';
import { renderWaterfall } from '../src/trace-viewer/waterfall';

type Child = ChildProcessByStdio<null, Readable, Readable>;
const packageDir = path.resolve(__dirname, '..');
let collector: TraceCollector;
const children: Child[] = [];

beforeAll(async () => {
  collector = await startTraceCollector({ port: 0 });
});
afterAll(async () => {
  for (const child of children) child.kill();
  await Promise.all(
    children.map(
      (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
    ),
  );
  await collector.close();
});

/** Starts the fixture service and resolves with its URL and the JSON lines it printed so far (and later). */
function startService(env: Record<string, string>): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      './test/fixtures/swc-register.js',
      '--require',
      './src/register.ts',
      './test/fixtures/traced-service.ts',
    ],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'collector', TRACE_COLLECTOR_URL: collector.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (typeof parsed.listening === 'string') resolve({ url: parsed.listening, lines });
    });
  });
}

it('traces a request across two processes: http server → fetch → Fastify route, with trace ids in the logs', async () => {
  const back = await startService({ ROLE: 'back', OTEL_SERVICE_NAME: 'inventory-service' });
  const front = await startService({ ROLE: 'front', OTEL_SERVICE_NAME: 'order-service', BACK_URL: back.url });

  // The caller's own span, as a gateway would send it.
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpanId = '00f067aa0ba902b7';
  const response = await fetch(`${front.url}/orders`, { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } });
  expect(await response.json()).toEqual({ available: true });

  const spans = await collector.waitForTrace(traceId, {
    services: ['order-service', 'inventory-service'],
    minSpans: 4,
    timeoutMs: 10_000,
  });
  const frontServer = spans.find((s) => s.service === 'order-service' && s.kind === 'server')!;
  const frontClient = spans.find((s) => s.service === 'order-service' && s.kind === 'client')!;
  const backServer = spans.find((s) => s.service === 'inventory-service' && s.kind === 'server')!;
  const fastifyRequest = spans.find((s) => s.service === 'inventory-service' && s.parentSpanId === backServer.spanId)!;

  expect(frontServer.parentSpanId).toBe(callerSpanId);
  expect(frontClient.parentSpanId).toBe(frontServer.spanId);
  expect(frontClient.attributes['url.full']).toBe(`${back.url}/stock/42`);
  expect(backServer.parentSpanId).toBe(frontClient.spanId);
  expect(fastifyRequest.attributes['http.route']).toBe('/stock/:sku');

  const logLine = back.lines.find((line) => line.msg === 'stock checked');
  expect(logLine).toMatchObject({ trace_id: traceId });
  expect(spans.map((s) => s.spanId)).toContain(logLine!.span_id);

  expect(renderWaterfall(spans)).toContain(`trace ${traceId}`);
});

it('refuses a bad setting with one clear line', async () => {
  await expect(startService({ OTEL_TRACES_EXPORTER: 'jaeger-thrift' })).rejects.toThrow(
    /exited with 1: telemetry: Invalid telemetry configuration: OTEL_TRACES_EXPORTER="jaeger-thrift": unknown exporter/,
  );
});
