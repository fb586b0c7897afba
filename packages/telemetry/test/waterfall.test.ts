import type { CollectedSpan } from '../src/trace-viewer/collected-span';
import { renderWaterfall } from '../src/trace-viewer/waterfall';

// A checkout as the demo produces it: gateway → order (saga) → payment over REST, then an event to user-service.
// Fixed ids and times, so the snapshot pins the layout, not a measurement.
const trace = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const t0 = 1_700_000_000_000;
const span = (
  id: string,
  parent: string | undefined,
  service: string,
  name: string,
  start: number,
  duration: number,
  extra: Partial<CollectedSpan> = {},
): CollectedSpan => ({
  traceId: trace,
  spanId: id.padEnd(16, '0'),
  ...(parent ? { parentSpanId: parent.padEnd(16, '0') } : {}),
  service,
  name,
  kind: 'internal',
  startTimeMs: t0 + start,
  durationMs: duration,
  attributes: {},
  links: [],
  ...extra,
});

const checkout: CollectedSpan[] = [
  // Deliberately out of order: spans arrive at the collector in the order they end.
  span('c1', 'b1', 'payment-service', 'POST /payments', 30, 45.25, { kind: 'server', error: 'card declined' }),
  span('a1', undefined, 'gateway', 'POST /orders', 0, 120, { kind: 'server' }),
  span('b1', 'a1', 'order-service', 'saga step process-payment', 20, 60),
  span('b2', 'a1', 'order-service', 'publish OrderCancelled', 95, 4.5, { kind: 'producer' }),
  span('d1', 'b2', 'user-service', 'OrderCancelled', 100, 12.3, { kind: 'consumer' }),
  span('b3', 'a1', 'order-service', 'GET', 101, 5, {
    kind: 'client',
    attributes: { 'url.full': 'http://127.0.0.1:3003/stock/42?x=1' },
  }),
  span('e1', 'zz', 'shipping-service', 'a span whose parent never arrived', 110, 2),
];

describe('renderWaterfall', () => {
  it('draws one row per span, children indented under their parent, with bars, durations and errors', () => {
    expect(renderWaterfall(checkout, { width: 110 })).toMatchSnapshot();
  });

  it('shows links to spans of another trace (a saga step resumed after a crash)', () => {
    const resumed = span('f1', undefined, 'order-service', 'saga step create-shipment (resumed)', 0, 8, {
      traceId: 'ffffffffffffffffffffffffffffffff',
      links: [{ traceId: trace, spanId: 'b1'.padEnd(16, '0') }],
    });
    const output = renderWaterfall([...checkout.slice(1, 3), resumed], { width: 100 });
    expect(output).toMatchSnapshot();
    expect(output).toContain('↳ follows order-service "saga step process-payment" (trace a1b2c3d4…)');
  });

  it('colours services and paints failed rows red only when asked', () => {
    const plain = renderWaterfall(checkout);
    const coloured = renderWaterfall(checkout, { color: true });
    expect(plain).not.toContain('\x1b[');
    const failedRow = coloured.split('\n').find((line) => line.includes('POST /payments'))!;
    expect(failedRow).toContain('\x1b[31m✗');
    // Same text once the escape codes are stripped.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  it('keeps every bar inside its frame, even for a zero-length trace', () => {
    const instant = renderWaterfall([span('a1', undefined, 'svc', 'op', 0, 0)], { width: 60 });
    expect(instant.split('\n')[1]).toMatch(/\|█+\| 0\.0 ms$/);
    const lines = renderWaterfall(checkout, { width: 90 }).split('\n').slice(1);
    const frames = lines.map((line) => line.slice(line.indexOf('|'), line.lastIndexOf('|') + 1).length);
    expect(new Set(frames).size).toBe(1);
  });
});
