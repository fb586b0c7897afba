/**
 * Text a database cannot store (NUL, lone UTF-16 surrogates) is refused at validation with a 400 naming the field,
 * on bodies, params, query strings and headers, for any route that declares a schema — the service adds nothing.
 */
import { createApp, Type, type ServiceApp } from '../src';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (it is not valid Unicode)';

describe('text a database cannot store', () => {
  let app: ServiceApp;

  beforeAll(async () => {
    app = await createApp({ name: 'test-service', logger: false });
    const Address = Type.Object({ line1: Type.String(), city: Type.String() }, { additionalProperties: false });
    app.post(
      '/customers',
      {
        schema: {
          body: Type.Object(
            {
              name: Type.String({ minLength: 1 }),
              age: Type.Optional(Type.Integer()),
              address: Type.Optional(Address),
              tags: Type.Optional(Type.Array(Type.String())),
              metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => reply.code(201).send(request.body),
    );
    app.get(
      '/customers/:id',
      {
        schema: {
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
          querystring: Type.Object({ q: Type.Optional(Type.String()) }),
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        },
      },
      async (request) => ({ id: request.params.id }),
    );
    await app.ready();
  });
  afterAll(() => app?.close());

  /** JSON.stringify writes a NUL as `\u0000` and a lone surrogate as `\ud800`: what a client sends. */
  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/customers',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const errorsOf = (response: { json(): { errors: unknown[] } }) => response.json().errors;

  it('refuses a NUL in a body field with a 400 problem naming the field', async () => {
    const response = await post({ name: 'Ada\u0000Lovelace' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/validation-failed$/),
      status: 400,
      detail: `body.name ${NUL_MESSAGE}`,
      errors: [{ field: 'body.name', message: NUL_MESSAGE }],
    });
  });

  it('finds it at any depth: nested objects, array items, free-form values', async () => {
    const response = await post({
      name: 'Ada',
      address: { line1: '\u0000', city: 'London' },
      tags: ['ok', 'bad\u0000'],
      metadata: { note: [{ deep: 'x\u0000' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toEqual([
      { field: 'body.address.line1', message: NUL_MESSAGE },
      { field: 'body.tags.1', message: NUL_MESSAGE },
      { field: 'body.metadata.note.0.deep', message: NUL_MESSAGE },
    ]);
  });

  it('refuses a lone surrogate but keeps a proper pair (an emoji) and other control characters', async () => {
    const lone = await post({ name: 'Ada\ud800', tags: ['\udfff'] });
    expect(lone.statusCode).toBe(400);
    expect(errorsOf(lone)).toEqual([
      { field: 'body.name', message: SURROGATE_MESSAGE },
      { field: 'body.tags.0', message: SURROGATE_MESSAGE },
    ]);
    // Postgres stores these fine; refusing them would be refusing valid data.
    const fine = await post({ name: 'Ada \ud83d\ude00 \u0001\u001f\u007f\ufffe' });
    expect(fine.statusCode).toBe(201);
    expect(fine.json().name).toBe('Ada \ud83d\ude00 \u0001\u001f\u007f\ufffe');
  });

  it('names a property whose name is the problem, with the character made visible', async () => {
    const response = await post({ name: 'Ada', metadata: { 'a\u0000b': 1 } });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toEqual([{ field: 'body.metadata.a\\u0000b', message: `property name ${NUL_MESSAGE}` }]);
  });

  it('reports the schema errors and the text errors of one request together', async () => {
    const response = await post({ name: '\u0000', age: 'old' });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toEqual(
      expect.arrayContaining([
        { field: 'body.age', message: 'must be integer' },
        { field: 'body.name', message: NUL_MESSAGE },
      ]),
    );
  });

  it('refuses a NUL in a path parameter (GET /customers/%00)', async () => {
    const response = await app.inject('/customers/%00');
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toEqual([{ field: 'params.id', message: NUL_MESSAGE }]);
    expect((await app.inject('/customers/ada%20lovelace')).json()).toEqual({ id: 'ada lovelace' });
  });

  it('refuses a NUL in a query string value or key, and in a header', async () => {
    const value = await app.inject('/customers/1?q=a%00');
    expect(value.statusCode).toBe(400);
    expect(errorsOf(value)).toEqual([{ field: 'querystring.q', message: NUL_MESSAGE }]);

    const key = await app.inject('/customers/1?x%00=1');
    expect(key.statusCode).toBe(400);
    expect(errorsOf(key)).toEqual([{ field: 'querystring.x\\u0000', message: `property name ${NUL_MESSAGE}` }]);

    const header = await app.inject({ url: '/customers/1', headers: { 'idempotency-key': 'k\u0000' } });
    expect(header.statusCode).toBe(400);
    expect(errorsOf(header)).toEqual([{ field: 'headers.idempotency-key', message: NUL_MESSAGE }]);
  });

  it('walks a deeply nested body without overflowing the stack', async () => {
    const depth = 20_000;
    const payload = `{"name":"Ada","metadata":{"deep":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}}`;
    const response = await app.inject({
      method: 'POST',
      url: '/customers',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toEqual([{ field: `body.metadata.deep${'.0'.repeat(depth)}`, message: NUL_MESSAGE }]);
  });

  it('lists at most 100 bad values, however many a body holds', async () => {
    const response = await post({ name: 'Ada', tags: Array<string>(1_000).fill('\u0000') });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response)).toHaveLength(100);
  });
});
