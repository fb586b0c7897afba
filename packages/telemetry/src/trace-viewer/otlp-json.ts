/**
 * Reads an OTLP/HTTP JSON trace export (`POST /v1/traces`, what `OTEL_TRACES_EXPORTER=otlp` sends with the
 * JSON protocol) into collected spans, so the collector can also stand in for Jaeger. Only the fields the
 * waterfall needs are read.
 */
import type { AttributeValue } from '@opentelemetry/api';
import type { CollectedSpan, CollectedSpanKind } from './collected-span';

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: number | string;
  endTimeUnixNano: number | string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
  links?: { traceId: string; spanId: string }[];
}
export interface OtlpTraceExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

// OTLP numbers SPAN_KIND_UNSPECIFIED as 0, so INTERNAL is 1 (one more than the API's enum).
const otlpKinds: CollectedSpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];
const OTLP_STATUS_ERROR = 2;

export function fromOtlpJson(body: OtlpTraceExport): CollectedSpan[] {
  const spans: CollectedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown_service');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) spans.push(toCollected(span, service));
    }
  }
  return spans;
}

function toCollected(span: OtlpSpan, service: string): CollectedSpan {
  const startNanos = BigInt(span.startTimeUnixNano);
  const collected: CollectedSpan = {
    traceId: hexId(span.traceId),
    spanId: hexId(span.spanId),
    service,
    name: span.name,
    kind: otlpKinds[span.kind ?? 1] ?? 'internal',
    startTimeMs: Number(startNanos) / 1e6,
    durationMs: Number(BigInt(span.endTimeUnixNano) - startNanos) / 1e6,
    attributes: attributesOf(span.attributes),
    links: (span.links ?? []).map((link) => ({ traceId: hexId(link.traceId), spanId: hexId(link.spanId) })),
  };
  if (span.parentSpanId) collected.parentSpanId = hexId(span.parentSpanId);
  if (span.status?.code === OTLP_STATUS_ERROR) collected.error = span.status.message || 'error';
  return collected;
}

// The OTLP JSON spec says hex, but some exporters send the protobuf bytes' base64: accept both.
function hexId(id: string): string {
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)
    ? id.toLowerCase()
    : Buffer.from(id, 'base64').toString('hex');
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of list ?? []) {
    if (!value) continue;
    const scalar = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (scalar !== undefined)
      attributes[key] = typeof scalar === 'string' && value.intValue !== undefined ? Number(scalar) : scalar;
  }
  return attributes;
}
