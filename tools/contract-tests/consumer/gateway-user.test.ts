/**
 * gateway → user-service: what the gateway needs from the user service to issue tokens (`POST /credentials/verify`,
 * in its own name) and to register customers (`POST /users`), exercised through the gateway's public routes.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { PACT_DIR, Pacticipant } from '../src';
import { withGateway } from './support/gateway';
import { JSON_CONTENT, PROBLEM_CONTENT, problemOfType, serviceAuthorization } from './support/matchers';

const { integer, like, regex, uuid } = MatchersV3;

const pact = new PactV4({
  consumer: Pacticipant.gateway,
  provider: Pacticipant.user,
  dir: PACT_DIR,
  logLevel: 'error',
});

const USER_ID = '0190a0a0-0000-7000-8000-0000000000e1';
const ISO_TIMESTAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z';
const credentials = { email: 'ada@example.com', password: 'correct horse battery' };
const shippingAddress = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const registration = { email: 'grace@example.com', name: 'Grace', password: 'long enough password', shippingAddress };
const authorization = serviceAuthorization(Pacticipant.gateway);

const subjectOf = (accessToken: string) =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;

describe('gateway → user-service', () => {
  it('exchanges valid credentials for a token naming the user', async () => {
    await pact
      .addInteraction()
      .given('a registered user', credentials)
      .uponReceiving('a credential check with the right password')
      .withRequest('POST', '/credentials/verify', (request) => request.headers({ authorization }).jsonBody(credentials))
      .willRespondWith(200, (response) => response.headers(JSON_CONTENT).jsonBody({ userId: uuid(USER_ID) }))
      .executeTest(async (server) => {
        await withGateway({ users: server.url }, async (gateway) => {
          const response = await gateway.inject({ method: 'POST', url: '/api/auth/token', payload: credentials });
          expect(response.statusCode).toBe(200);
          expect(subjectOf(response.json<{ accessToken: string }>().accessToken)).toBe(USER_ID);
        });
      });
  });

  it('answers 401 to a wrong password', async () => {
    const wrong = { ...credentials, password: 'wrong password' };
    await pact
      .addInteraction()
      .given('a registered user', credentials)
      .uponReceiving('a credential check with a wrong password')
      .withRequest('POST', '/credentials/verify', (request) => request.headers({ authorization }).jsonBody(wrong))
      .willRespondWith(401, (response) =>
        response.headers(PROBLEM_CONTENT).jsonBody(problemOfType('invalid-credentials')),
      )
      .executeTest(async (server) => {
        await withGateway({ users: server.url }, async (gateway) => {
          const response = await gateway.inject({ method: 'POST', url: '/api/auth/token', payload: wrong });
          expect(response.statusCode).toBe(401);
        });
      });
  });

  it('registers a customer and points at the new profile under /api', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a registration')
      .withRequest('POST', '/users', (request) => request.headers({ authorization }).jsonBody(registration))
      .willRespondWith(201, (response) =>
        response.headers({ ...JSON_CONTENT, Location: regex('/users/[0-9a-f-]{36}', `/users/${USER_ID}`) }).jsonBody({
          id: uuid(USER_ID),
          email: like(registration.email),
          name: like(registration.name),
          shippingAddress: like(shippingAddress),
          version: integer(1),
          createdAt: regex(ISO_TIMESTAMP, '2030-01-01T00:00:00.000Z'),
          updatedAt: regex(ISO_TIMESTAMP, '2030-01-01T00:00:00.000Z'),
        }),
      )
      .executeTest(async (server) => {
        await withGateway({ users: server.url }, async (gateway) => {
          const response = await gateway.inject({ method: 'POST', url: '/api/users', payload: registration });
          expect(response.statusCode).toBe(201);
          expect(response.headers.location).toBe(`/api/users/${USER_ID}`);
          expect(response.json()).toMatchObject({ id: USER_ID, email: registration.email });
          expect(response.json()).not.toHaveProperty('password');
        });
      });
  });

  it('passes on the refusal of an email already registered', async () => {
    const taken = { ...registration, email: credentials.email };
    await pact
      .addInteraction()
      .given('a registered user', credentials)
      .uponReceiving('a registration with an email already registered')
      .withRequest('POST', '/users', (request) => request.headers({ authorization }).jsonBody(taken))
      .willRespondWith(409, (response) =>
        response.headers(PROBLEM_CONTENT).jsonBody(problemOfType('email-already-registered')),
      )
      .executeTest(async (server) => {
        await withGateway({ users: server.url }, async (gateway) => {
          const response = await gateway.inject({ method: 'POST', url: '/api/users', payload: taken });
          expect(response.statusCode).toBe(409);
          expect(response.json().type).toMatch(/\/email-already-registered$/);
        });
      });
  });
});
