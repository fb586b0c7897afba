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

/** A fixture script run under the real bootstrap, exporting to the collector unless `env` says otherwise. */
function spawnFixture(script: string, env: Record<string, string>): { child: Child; stderr: () => string } {
  const child = spawn(
    process.execPath,
    ['--require', './test/fixtures/swc-register.js', '--require', './src/register.ts', script],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'collector', TRACE_COLLECTOR_URL: collector.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

/** Starts the fixture service and resolves with its URL and the JSON lines it printed so far (and later). */
function startService(env: Record<string, string>): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const { child, stderr } = spawnFixture('./test/fixtures/traced-service.ts', env);
  const lines: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${stderr()}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (typeof parsed.listening === 'string') resolve({ url: parsed.listening, lines });
    });
  });
}

/** What `report-tracing.ts` found in a process started with `env` (replacing the collector settings). */
async function tracingReport(env: Record<string, string>): Promise<Record<string, unknown>> {
  const { child, stderr } = spawnFixture('./test/fixtures/report-tracing.ts', {
    OTEL_TRACES_EXPORTER: '',
    TRACE_COLLECTOR_URL: '',
    ...env,
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`exited with ${code}: ${stderr()}`);
  // The report's own line: the console exporter prints spans around it.
  return JSON.parse(stdout.split('\n').find((line) => line.startsWith('{"httpPatched"'))!) as Record<string, unknown>;
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

describe('with no exporter configured, nothing is installed and the helpers run as no-ops', () => {
  it.each([
    ['OTEL_TRACES_EXPORTER unset, no TRACE_COLLECTOR_URL', {}],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none' }],
    ['OTEL_SDK_DISABLED=true, even with an exporter', { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console' }],
  ])('%s', async (_, env) => {
    expect(await tracingReport(env)).toEqual({
      httpPatched: false,
      fastifyHooked: false,
      fetchHooked: false,
      tracerProvider: 'NoopTracerProvider',
      spanRecording: false,
      // The callback runs; with no context manager the incoming context is not carried into it (README).
      explicitSpan: { ran: true, recording: false, carrier: null, logFields: {} },
      withRemoteParentRan: true,
    });
  });

  it('still refuses a bad setting', async () => {
    await expect(tracingReport({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'jaeger-thrift' })).rejects.toThrow(
      /exited with 1: telemetry: Invalid telemetry configuration: OTEL_TRACES_EXPORTER="jaeger-thrift"/,
    );
  });
});

it.each(['console', 'collector', 'otlp'])(
  'with the %s exporter, the SDK and every auto-instrumentation are installed',
  async (exporter) => {
    // The collector also takes OTLP/HTTP (`/v1/traces`), so the one span the fixture ends is exported somewhere real.
    const env = {
      OTEL_TRACES_EXPORTER: exporter,
      TRACE_COLLECTOR_URL: collector.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    };
    expect(await tracingReport(env)).toMatchObject({
      httpPatched: true,
      fastifyHooked: true,
      fetchHooked: true,
      tracerProvider: 'TracerProvider',
      spanRecording: true,
      explicitSpan: {
        ran: true,
        recording: true,
        carrier: { traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/) },
        logFields: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      },
      withRemoteParentRan: true,
    });
  },
);
