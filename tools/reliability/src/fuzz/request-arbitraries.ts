/**
 * fast-check arbitraries for hostile requests to one route: odd path parameters, random query strings, bodies that
 * are random JSON, wrong types in the right shape, huge strings, deep nesting, invalid UTF-8 or not JSON at all,
 * wrong content types, and bad or huge headers — and, in paths, queries and schema-following bodies alike, text a
 * database cannot store (NUL, lone surrogates), control characters and odd or overlong Unicode (hostile-text.ts).
 */
import fc from 'fast-check';
import { hostileText, hostileUrlText, percentEncode, printable } from './hostile-text';
import type { FuzzRoute } from './route-catalog';
import { schemaShaped } from './schema-shaped';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What the case was, for the report of a failure. */
  label: string;
}

const oddSegment = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%',
      '%00',
      '%ZZ',
      '%C0%AF',
      ' ',
      '😀',
      'null',
      'undefined',
      '-1',
      '0',
      '1e309',
      "' OR 1=1 --",
      '<script>',
    ),
    weight: 3,
  },
  { arbitrary: fc.integer().map(String), weight: 2 },
  { arbitrary: fc.uuid(), weight: 2 },
  { arbitrary: fc.constant('x'.repeat(5_000)), weight: 1 },
);

/** A path value: usually percent-encoded (as a client would send it), sometimes raw. */
const pathValue = (known: readonly string[]) =>
  fc.oneof(
    { arbitrary: known.length ? fc.constantFrom(...known) : fc.uuid(), weight: 2 },
    { arbitrary: oddSegment.map((v) => percentEncode(v)), weight: 3 },
    { arbitrary: oddSegment.filter((v) => v.length > 0 && !/[\s/?#]/.test(v)), weight: 1 },
    { arbitrary: hostileUrlText, weight: 2 },
  );

/** Query values, already percent-encoded. */
const queryValue = fc.oneof(
  {
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 30 }),
        fc.integer().map(String),
        fc.constant(''),
        fc.constant('9'.repeat(400)),
        fc.constantFrom('true', 'null', '[]', '{}', '-1', '1.5', 'NaN'),
      )
      .map(percentEncode),
    weight: 4,
  },
  { arbitrary: hostileUrlText, weight: 2 },
);

const deepNesting = fc.integer({ min: 100, max: 20_000 }).chain((depth) =>
  fc.constantFrom('[', '{"a":').map((open) => {
    const close = open === '[' ? ']' : '}';
    return open.repeat(depth) + '1' + close.repeat(depth);
  }),
);

const invalidUtf8 = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), // {"a":"\xC3(" } — broken sequence
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), // lone surrogate encoded
  ),
);

/** Right property names, random values: gets past "unknown property" and reaches type and business checks. */
const shaped = (properties: string[]) =>
  fc
    .record(Object.fromEntries(properties.map((p) => [p, fc.anything({ maxDepth: 3 })])), { requiredKeys: [] })
    .map((value) => JSON.stringify(value));

/** Follows the body schema all the way down, hostile text in its free-text fields: reaches handlers and queries. */
const schemaFollowing = (route: FuzzRoute, known: readonly string[]) =>
  schemaShaped(route.bodySchema ?? {}, known).map((value) => JSON.stringify(value) ?? 'null');

/** Right property names, hostile text as every value. */
const hostileValues = (properties: string[]) =>
  fc
    .record(
      Object.fromEntries(properties.map((p) => [p, fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 }))])),
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value));

const body = (route: FuzzRoute, known: readonly string[]): fc.Arbitrary<{ payload: string | Buffer; kind: string }> =>
  fc.oneof(
    { arbitrary: schemaFollowing(route, known).map((payload) => ({ payload, kind: 'schema-following' })), weight: 4 },
    { arbitrary: hostileValues(route.bodyProperties).map((payload) => ({ payload, kind: 'hostile-text' })), weight: 2 },
    { arbitrary: shaped(route.bodyProperties).map((payload) => ({ payload, kind: 'shaped' })), weight: 4 },
    {
      arbitrary: fc.anything().map((v) => ({ payload: JSON.stringify(v) ?? 'undefined', kind: 'anything' })),
      weight: 2,
    },
    { arbitrary: fc.json().map((payload) => ({ payload, kind: 'json' })), weight: 2 },
    { arbitrary: deepNesting.map((payload) => ({ payload, kind: 'deep' })), weight: 1 },
    {
      arbitrary: fc
        .integer({ min: 50_000, max: 300_000 })
        .map((n) => ({ payload: JSON.stringify({ s: 'x'.repeat(n) }), kind: 'huge' })),
      weight: 1,
    },
    { arbitrary: invalidUtf8.map((payload) => ({ payload, kind: 'bad-utf8' })), weight: 1 },
    { arbitrary: fc.string({ maxLength: 50 }).map((payload) => ({ payload, kind: 'text' })), weight: 1 },
  );

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 5 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/problem+json',
      'application/json;;;',
      'x/y z',
      '',
    ),
    weight: 2,
  },
  { arbitrary: printable(60), weight: 1 },
);

const extraHeaders = fc.record(
  {
    'idempotency-key': fc.oneof(fc.uuid(), printable(80), fc.constant('k'.repeat(8_000))),
    'x-correlation-id': printable(100),
    traceparent: fc.oneof(printable(60), fc.constant('00-' + '0'.repeat(32) + '-' + '0'.repeat(16) + '-01')),
    'x-request-id': printable(200),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
    'x-customer-id': fc.uuid(),
  },
  { requiredKeys: [] },
);

export function requestFor(
  route: FuzzRoute,
  authorization: fc.Arbitrary<string | undefined>,
  known: readonly string[],
): fc.Arbitrary<FuzzRequest> {
  const params = fc.tuple(...route.pathParams.map(() => pathValue(known)));
  const queryKeys = fc.oneof(
    {
      arbitrary: fc.constantFrom(...route.queryParams, 'unexpected', 'limit', 'cursor', '__proto__').map(percentEncode),
      weight: 5,
    },
    { arbitrary: hostileUrlText, weight: 1 },
  );
  const query = fc.array(fc.tuple(queryKeys, queryValue), { maxLength: 4 });
  const withBody = route.hasBody ? fc.option(body(route, known), { freq: 8 }) : fc.constant(null);
  return fc
    .record({ params, query, body: withBody, contentType, headers: extraHeaders, authorization })
    .map(({ params, query, body, contentType, headers, authorization }) => {
      let i = 0;
      const path = route.path.replace(/\{[^}]+\}/g, () => params[i++]!);
      const search = query.map(([k, v]) => `${k}=${v}`).join('&');
      const allHeaders: Record<string, string> = { ...headers };
      if (authorization !== undefined) allHeaders.authorization = authorization;
      if (body) allHeaders['content-type'] = contentType;
      return {
        method: route.method,
        url: search ? `${path}?${search}` : path,
        headers: allHeaders,
        ...(body ? { payload: body.payload } : {}),
        label: body ? body.kind : 'no body',
      };
    });
}
