/**
 * Renders collected spans as a terminal waterfall, one row per span, children indented under their parent:
 *
 *   order-service        POST /orders        server    |██████████████████████████████| 120.0 ms
 *     order-service      publish OrderPlaced producer  |             ██               |   4.1 ms
 *       user-service     OrderPlaced         consumer  |                     ████     |  10.2 ms
 *
 * The bar shows when a span ran relative to its trace; ✗ (red with `color`) marks failures and ↳ the spans a
 * span is linked to. Spans from several traces render as several waterfalls, one after the other.
 */
import type { CollectedSpan } from './collected-span';

export interface WaterfallOptions {
  /** Target line width in characters (the bar takes what the text columns leave). Default 110. */
  width?: number;
  /** ANSI colours: services in turn, failures red. Default false. */
  color?: boolean;
}

interface Row {
  span: CollectedSpan;
  depth: number;
  /** Set when the span names a parent that is not among the spans given (not collected yet, or lost). */
  orphan: boolean;
}

const MIN_BAR_WIDTH = 10;
const MAX_OPERATION_WIDTH = 48;
const ansi = { red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };
const serviceColors = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[34m', '\x1b[32m', '\x1b[96m'];

export function renderWaterfall(spans: readonly CollectedSpan[], options: WaterfallOptions = {}): string {
  const byTrace = new Map<string, CollectedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const everySpan = new Map(spans.map((span) => [span.spanId, span]));
  return [...byTrace.values()].map((trace) => renderTrace(trace, everySpan, options)).join('\n\n');
}

function renderTrace(
  spans: CollectedSpan[],
  everySpan: Map<string, CollectedSpan>,
  { width = 110, color = false }: WaterfallOptions,
): string {
  const rows = orderAsTree(spans);
  const start = Math.min(...spans.map((s) => s.startTimeMs));
  const end = Math.max(...spans.map((s) => s.startTimeMs + s.durationMs));
  const total = end - start;
  const services = [...new Set(rows.map((row) => row.span.service))];
  const errors = spans.filter((s) => s.error !== undefined).length;

  const labels = rows.map((row) => '  '.repeat(row.depth) + row.span.service);
  const operations = rows.map((row) => truncate(operationOf(row.span), MAX_OPERATION_WIDTH));
  const kinds = rows.map((row) => (row.span.kind === 'internal' ? '' : row.span.kind));
  const durations = rows.map((row) => formatMs(row.span.durationMs));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const operationWidth = Math.max(...operations.map((o) => o.length));
  const kindWidth = Math.max(...kinds.map((k) => k.length));
  const durationWidth = Math.max(...durations.map((d) => d.length));
  // "✗ " gutter, three column gaps, the bar's two edges, and a space before the duration.
  const fixed = 2 + labelWidth + 2 + operationWidth + 2 + kindWidth + 2 + 2 + 1 + durationWidth;
  const barWidth = Math.max(MIN_BAR_WIDTH, width - fixed);

  const paint = (text: string, code: string) => (color ? `${code}${text}${ansi.reset}` : text);
  const summary = [
    `trace ${spans[0]!.traceId}`,
    plural(spans.length, 'span'),
    plural(services.length, 'service'),
    formatMs(total),
    ...(errors ? [plural(errors, 'error')] : []),
  ].join('  ·  ');
  const lines = [paint(summary, ansi.bold)];

  rows.forEach((row, i) => {
    const { span } = row;
    const failed = span.error !== undefined;
    const serviceColor = serviceColors[services.indexOf(span.service) % serviceColors.length]!;
    const label =
      '  '.repeat(row.depth) + paint(span.service, serviceColor) + ' '.repeat(labelWidth - labels[i]!.length);
    const bar = renderBar(span.startTimeMs - start, span.durationMs, total, barWidth);
    const notes = [
      ...(failed ? [`error: ${span.error}`] : []),
      ...(row.orphan ? [`(parent ${span.parentSpanId} not collected)`] : []),
      ...span.links.map((link) => `↳ follows ${describeLink(link, everySpan)}`),
    ];
    const cells = [
      failed ? paint('✗', ansi.red) : ' ',
      ' ',
      label,
      '  ',
      operations[i]!.padEnd(operationWidth),
      '  ',
      kinds[i]!.padEnd(kindWidth),
      '  ',
      `|${failed ? paint(bar, ansi.red) : bar}|`,
      ' ',
      paint(durations[i]!.padStart(durationWidth), ansi.dim),
      notes.length ? `  ${failed ? paint(notes.join('  '), ansi.red) : notes.join('  ')}` : '',
    ];
    lines.push(cells.join('').trimEnd());
  });
  return lines.join('\n');
}

/** Depth-first: each span followed by its children in start order; spans whose parent is absent are roots. */
function orderAsTree(spans: CollectedSpan[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, CollectedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const byStart = (a: CollectedSpan, b: CollectedSpan) => a.startTimeMs - b.startTimeMs || a.name.localeCompare(b.name);
  const rows: Row[] = [];
  const visit = (span: CollectedSpan, depth: number) => {
    rows.push({ span, depth, orphan: depth === 0 && span.parentSpanId !== undefined });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of (children.get(undefined) ?? []).sort(byStart)) visit(root, 0);
  return rows;
}

/**
 * HTTP spans are named by method alone (`GET`) unless a framework knows the route; the URL's path says more.
 * Client spans show where the call went (`GET → 127.0.0.1:3003/stock/42`).
 */
function operationOf(span: CollectedSpan): string {
  if (span.name.includes(' ')) return span.name;
  const url = span.attributes['url.full'];
  if (span.kind === 'client' && typeof url === 'string' && URL.canParse(url)) {
    const { host, pathname } = new URL(url);
    return `${span.name} → ${host}${pathname}`;
  }
  const path = span.attributes['url.path'];
  return span.kind === 'server' && typeof path === 'string' ? `${span.name} ${path}` : span.name;
}

function renderBar(offsetMs: number, durationMs: number, totalMs: number, width: number): string {
  if (totalMs <= 0) return '█'.repeat(width);
  const from = Math.min(width - 1, Math.floor((offsetMs / totalMs) * width));
  const to = Math.max(from + 1, Math.min(width, Math.ceil(((offsetMs + durationMs) / totalMs) * width)));
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(width - to);
}

function describeLink(link: { traceId: string; spanId: string }, everySpan: Map<string, CollectedSpan>): string {
  const target = everySpan.get(link.spanId);
  if (target) return `${target.service} "${target.name}" (trace ${link.traceId.slice(0, 8)}…)`;
  return `span ${link.spanId} of trace ${link.traceId.slice(0, 8)}…`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
