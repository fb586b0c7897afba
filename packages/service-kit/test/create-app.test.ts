import { createApp, eventMetadataOf, HttpProblem, Type, type ServiceApp } from '../src';

describe('createApp', () => {
  let app: ServiceApp;
  let ready = true;

  beforeAll(async () => {
    app = await createApp({
      name: 'test-service',
      logger: false,
      bodyLimitBytes: 1024,
      readiness: {
        database: async () => {
          if (!ready) throw new Error('connection refused');
        },
      },
    });
    app.post(
      '/things',
      {
        schema: {
          body: Type.Object(
            {
              name: Type.String({ minLength: 1 }),
              count: Type.Integer({ minimum: 1 }),
              email: Type.String({ format: 'email' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => reply.code(201).send(request.body),
    );
    app.get('/conflict', async () => {
      throw new HttpProblem(409, 'thing-exists', 'Thing already exists', 'thing 7 exists', {
        thingId: '7',
        status: 'taken',
      });
    });
    app.get('/bug', async () => {
      throw new Error('secret internal detail');
    });
    app.get('/things/:id', async (request) => request.params);
    app.get('/event-metadata', async (request) => eventMetadataOf(request));
    app.get(
      '/items',
      { schema: { querystring: Type.Object({ limit: Type.Integer({ default: 10 }) }) } },
      async (request) => ({
        limit: request.query.limit,
      }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/things', payload: payload as object });

  it('lists every invalid field in a 400 problem', async () => {
    const response = await post({ name: '', count: 'three', email: 'not-an-email', extra: true });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const body = response.json();
    expect(body.type).toMatch(/validation-failed$/);
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.count', 'body.email', 'body.extra', 'body.name']);
  });

  it('names missing fields', async () => {
    const response = await post({});
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.count', 'body.email', 'body.name']);
  });

  it('does not coerce body types but does coerce query strings', async () => {
    expect((await post({ name: 'a', count: '3', email: 'a@b.co' })).statusCode).toBe(400);
    expect((await app.inject('/items?limit=5')).json()).toEqual({ limit: 5 });
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('answers an oversized body with 413', async () => {
    const response = await post({ name: 'x'.repeat(5000), count: 1, email: 'a@b.co' });
    expect(response.statusCode).toBe(413);
    expect(response.json().type).toMatch(/payload-too-large$/);
  });

  it('answers an unsupported media type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('renders thrown HttpProblems with their extensions', async () => {
    const response = await app.inject('/conflict');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      status: 409,
      title: 'Thing already exists',
      thingId: '7',
      instance: '/conflict',
    });
  });

  it('hides internal errors behind a generic 500 with the request id', async () => {
    const response = await app.inject('/bug');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.json().requestId).toBe(response.headers['x-request-id']);
  });

  // Regression (found by @shop/reliability's fuzzing): the router's own refusals bypassed the error handler.
  it('answers a path parameter over the router limit with a 414 problem', async () => {
    const response = await app.inject({ method: 'GET', url: `/things/${'x'.repeat(500)}` });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 414, type: expect.stringMatching(/uri-too-long$/) });
  });

  it('answers a malformed percent-encoding in the path with a 400 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/things/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, type: expect.stringMatching(/malformed-request$/) });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await app.inject('/nope?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status: 404, detail: 'No route for GET /nope' });
  });

  it('reports readiness from its checks', async () => {
    expect((await app.inject('/health/ready')).statusCode).toBe(200);
    ready = false;
    const response = await app.inject('/health/ready');
    ready = true;
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('database failing: connection refused');
    expect((await app.inject('/health/live')).statusCode).toBe(200);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/things');
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('propagates a caller-supplied request id', async () => {
    const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });

  it.each([
    ['longer than 128 characters', 'a'.repeat(129)],
    ['with spaces and quotes', 'abc "injected": true'],
    ['with a line break', 'abc\\nlevel=fatal'],
    ['starting with punctuation', '-abc'],
  ])('replaces a request id %s with a fresh one', async (_case, given) => {
    const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': given } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).not.toBe(given);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('carries a safe x-correlation-id into event metadata, and the request id instead of an unsafe one', async () => {
    const safe = await app.inject({ url: '/event-metadata', headers: { 'x-correlation-id': 'checkout-42' } });
    expect(safe.json()).toEqual({ correlationId: 'checkout-42', causationId: safe.headers['x-request-id'] });
    const unsafe = await app.inject({ url: '/event-metadata', headers: { 'x-correlation-id': 'x'.repeat(200) } });
    expect(unsafe.json().correlationId).toBe(unsafe.headers['x-request-id']);
  });

  it('adopts a request id of exactly 128 safe characters', async () => {
    const given = `r${'x'.repeat(120)}.1:2_3-4`.slice(0, 128);
    const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': given } });
    expect(response.headers['x-request-id']).toBe(given);
  });
});

describe('createApp validation in every scope', () => {
  // Fastify rebuilds a scope's validator when schemas are added after it was set; with `setValidatorCompiler` the
  // routes of a child scope then fell back to Fastify's default ajv, which silently drops unknown properties and
  // reports only the first error (found by the inventory suite once the operator routes added their schemas).
  it('refuses unknown properties and lists every error in a child scope, also after a late addSchema', async () => {
    const app = await createApp({ name: 'scoped-service', logger: false });
    try {
      const Body = Type.Object(
        { orderId: Type.String({ pattern: '^[a-z0-9-]+$' }), quantity: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      );
      const Shared = Type.Object({ note: Type.String() }, { $id: 'LateSharedSchema' });
      await app.register(async (child) => {
        child.post('/scoped', { schema: { body: Body } }, async (request) => request.body);
        child.post(
          '/scoped-ref',
          { schema: { body: Type.Object({ shared: Type.Ref(Shared) }, { additionalProperties: false }) } },
          async (request) => request.body,
        );
      });
      app.addSchema(Shared);
      await app.ready();

      const response = await app.inject({
        method: 'POST',
        url: '/scoped',
        payload: { orderId: 'has space', quantity: 0, extra: 1 },
      });
      expect(response.statusCode).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['body.extra', 'body.orderId', 'body.quantity']);
      const viaRef = await app.inject({ method: 'POST', url: '/scoped-ref', payload: { shared: { note: 1 } } });
      expect(viaRef.statusCode).toBe(400);
      expect(viaRef.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.shared.note']);
    } finally {
      await app.close();
    }
  });
});
