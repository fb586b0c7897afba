// Domain errors answered by the problems a service declares once, so no handler needs a try/catch.
import { createApp, HttpProblem, notFound, problemFor, type ServiceApp } from '../src';

class OutOfStockError extends Error {
  constructor(readonly skus: string[]) {
    super(`out of stock: ${skus.join(', ')}`);
  }
}
class ReservationMissingError extends Error {
  constructor(readonly orderId: string) {
    super(`no reservation for ${orderId}`);
  }
}
class SpecificOutOfStockError extends OutOfStockError {}

describe('createApp({ problems })', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await createApp({
      name: 'problems',
      logger: false,
      problems: [
        problemFor(
          OutOfStockError,
          (error) =>
            new HttpProblem(
              409,
              'insufficient-stock',
              'Not enough stock',
              error.message,
              { shortages: error.skus },
              {
                'retry-after': '5',
              },
            ),
        ),
        problemFor(ReservationMissingError, (error) => notFound('Reservation of order', error.orderId)),
      ],
    });
    app.get('/out-of-stock', async () => {
      throw new OutOfStockError(['SKU-1']);
    });
    app.get('/subclass', async () => {
      throw new SpecificOutOfStockError(['SKU-2']);
    });
    app.get('/missing', async () => {
      throw new ReservationMissingError('o-1');
    });
    app.get('/unlisted', async () => {
      throw new Error('a bug');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers a listed error with its problem: status, type, extensions and headers', async () => {
    const response = await app.inject('/out-of-stock');
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({
      type: 'https://resilient-shop.dev/problems/insufficient-stock',
      title: 'Not enough stock',
      status: 409,
      detail: 'out of stock: SKU-1',
      instance: '/out-of-stock',
      shortages: ['SKU-1'],
    });
  });

  it('matches subclasses, and maps to the shared problems too', async () => {
    expect((await app.inject('/subclass')).json()).toMatchObject({ status: 409, shortages: ['SKU-2'] });
    expect((await app.inject('/missing')).json()).toMatchObject({
      status: 404,
      detail: 'Reservation of order o-1 does not exist',
    });
  });

  it('leaves an unlisted error a 500 that tells the client nothing', async () => {
    const response = await app.inject('/unlisted');
    expect(response.statusCode).toBe(500);
    expect(response.json().detail).not.toContain('a bug');
  });
});
