import { Type } from '@sinclair/typebox';
import {
  createEvent,
  createEventValidator,
  defineEvent,
  eventCatalog,
  InvalidEventError,
  validateEvent,
  type EventOf,
} from '../src';

const now = () => new Date('2025-03-04T05:06:07.089Z');
const metadata = { correlationId: 'corr-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

function orderPlaced(): EventOf<'OrderPlaced'> {
  return createEvent(
    {
      eventType: 'OrderPlaced',
      aggregateId: 'order-1',
      aggregateVersion: 1,
      data: {
        orderId: 'order-1',
        customerId: 'user-1',
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: { amountMinor: 1250, currency: 'EUR' } }],
        total: { amountMinor: 2500, currency: 'EUR' },
      },
      metadata,
    },
    { now },
  );
}

describe('createEvent', () => {
  it('stamps a UUIDv7 id from the injected clock, the occurrence time and the schema version', () => {
    const event = orderPlaced();
    expect(event).toMatchObject({
      eventType: 'OrderPlaced',
      schemaVersion: 1,
      aggregateId: 'order-1',
      aggregateVersion: 1,
      occurredAt: '2025-03-04T05:06:07.089Z',
      metadata,
    });
    expect(parseInt(event.eventId.replace(/-/g, '').slice(0, 12), 16)).toBe(now().getTime());
  });

  it('refuses data that does not match the schema, naming the field', () => {
    const bad = () =>
      createEvent({
        eventType: 'PaymentCaptured',
        aggregateId: 'pay-1',
        aggregateVersion: 1,
        data: { paymentId: 'pay-1', orderId: 'order-1', amount: { amountMinor: 12.5, currency: 'eur' } },
        metadata,
      });
    expect(bad).toThrow(InvalidEventError);
    expect(bad).toThrow(/\/data\/amount\/amountMinor: Expected integer/);
    expect(bad).toThrow(/\/data\/amount\/currency/);
  });
});

describe('validateEvent', () => {
  it('accepts a valid event and types its data by eventType', () => {
    const result = validateEvent(JSON.parse(JSON.stringify(orderPlaced())));
    expect(result.ok).toBe(true);
    if (result.ok && result.event.eventType === 'OrderPlaced') {
      expect(result.event.data.total.amountMinor).toBe(2500);
    }
  });

  it('tolerates fields it does not know (additive evolution)', () => {
    const event = orderPlaced();
    const withExtra = { ...event, data: { ...event.data, giftWrap: true }, metadata: { ...metadata, tenant: 't' } };
    expect(validateEvent(withExtra).ok).toBe(true);
  });

  it.each([
    ['not an object', 'hello', 'invalid-envelope'],
    ['a missing eventId', { ...orderPlaced(), eventId: undefined }, 'invalid-envelope'],
    ['an unknown type', { ...orderPlaced(), eventType: 'OrderTeleported' }, 'unknown-event-type'],
    ['a newer schema version', { ...orderPlaced(), schemaVersion: 2 }, 'unsupported-schema-version'],
    ['bad data', { ...orderPlaced(), data: { orderId: 'order-1' } }, 'invalid-data'],
  ])('rejects %s with reason %s', (_name, input, reason) => {
    const result = validateEvent(input);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
  });

  it('says which field is wrong', () => {
    const result = validateEvent({ ...orderPlaced(), data: { ...orderPlaced().data, customerId: 42 } });
    expect(result).toMatchObject({ ok: false, reason: 'invalid-data', eventType: 'OrderPlaced' });
    if (!result.ok) expect(result.errors[0]).toMatch(/^\/data\/customerId: Expected string/);
  });

  it('upcasts events written with an older schema version (breaking change)', () => {
    // v2 split `name` into given and family names; v1 events still sit in queues and DLQs.
    const catalog = {
      CustomerRenamed: defineEvent(
        'user',
        2,
        Type.Object({ givenName: Type.String(), familyName: Type.String() }),
        (data, fromVersion) => {
          if (fromVersion !== 1) return data;
          const [givenName = '', ...rest] = String((data as { name: string }).name).split(' ');
          return { givenName, familyName: rest.join(' ') };
        },
      ),
    };
    const validate = createEventValidator(catalog);
    const v1 = {
      ...orderPlaced(),
      eventType: 'CustomerRenamed',
      schemaVersion: 1,
      data: { name: 'Ada King Lovelace' },
    };
    const result = validate(v1);
    expect(result).toMatchObject({
      ok: true,
      event: { schemaVersion: 2, data: { givenName: 'Ada', familyName: 'King Lovelace' } },
    });
  });

  it('knows every event type the issue lists, each with a producer and a version', () => {
    expect(Object.keys(eventCatalog).sort()).toEqual(
      [
        'UserRegistered',
        'UserUpdated',
        'OrderPlaced',
        'OrderConfirmed',
        'OrderCancelled',
        'OrderShipped',
        'OrderDelivered',
        'StockReserved',
        'StockReleased',
        'PaymentCaptured',
        'PaymentDeclined',
        'PaymentRefunded',
        'ShipmentCreated',
        'ShipmentDispatched',
        'ShipmentDelivered',
        'ShipmentCancelled',
      ].sort(),
    );
  });
});
