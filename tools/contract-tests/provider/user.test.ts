/**
 * user-service verifies the pacts of its consumers against its real app, authentication on: the gateway's HTTP calls,
 * and the UserRegistered event order-service consumes — written to the outbox by a registration through the API and
 * published by the real outbox relay.
 */
import type { ServiceApp } from '@shop/service-kit';
import { buildApp } from '@shop/user-service/dist/app';
import { TEST_SCRYPT_COST } from '@shop/user-service/dist/domain/password';
import { migrations } from '@shop/user-service/dist/migrations';
import { asPactMessage, CONTRACT_JWT_SECRET, Pacticipant, publishedEvent } from '../src';
import { itHonoursEveryPact } from './support/honours-every-pact';
import { expectStatus } from './support/expect-status';
import { stringParam } from './support/params';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';
import { asService } from './support/service-caller';

const shippingAddress = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('user-service', () => {
  let database: ProviderDatabase;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase(migrations, ['users', 'customer_order_history']);
    app = await buildApp({
      db: database.db,
      logger: false,
      authentication: { secret: CONTRACT_JWT_SECRET },
      passwordCost: TEST_SCRYPT_COST,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  const register = async (email: string, password: string) =>
    expectStatus(
      await app.inject({
        method: 'POST',
        url: '/users',
        headers: asService(Pacticipant.gateway),
        payload: { email, name: 'Ada', password, shippingAddress },
      }),
      201,
    );

  itHonoursEveryPact(Pacticipant.user, () => ({
    app,
    beforeEach: () => database.reset(),
    stateHandlers: {
      'a registered user': async (params) => {
        await register(stringParam(params, 'email'), stringParam(params, 'password'));
      },
    },
    messageProviders: {
      'a UserRegistered event': async () => {
        await register('ada@example.com', 'long enough password');
        return asPactMessage(await publishedEvent(database.db, 'UserRegistered'));
      },
    },
  }));
});
