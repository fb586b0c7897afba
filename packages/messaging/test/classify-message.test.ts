// classifyMessage as a specification: given a message body and the consumer's handlers, handle it or dead-letter it.
import { classifyMessage, type EventHandlers } from '../src/consumer/classify-message';
import { orderEvent } from './fixtures';

const placed = orderEvent('OrderPlaced', 'order-1', 1);
const handlers: EventHandlers = { OrderPlaced: async () => undefined };

describe('classifyMessage', () => {
  it('hands a valid event with a handler to that handler', async () => {
    const seen: string[] = [];
    const result = classifyMessage(
      JSON.stringify(placed),
      { OrderPlaced: async (event) => void seen.push(event.data.orderId) },
      'user',
    );
    expect(result).toMatchObject({ action: 'handle', event: { eventId: placed.eventId } });
    if (result.action === 'handle') await result.handle({} as never);
    expect(seen).toEqual(['order-1']);
  });

  it('hands a valid event with a write-only handler over as its writes, built when asked for', () => {
    const writes = jest.fn((event: { data: { orderId: string } }) => [
      { sql: 'SELECT 1', params: [event.data.orderId] },
    ]);
    const result = classifyMessage(JSON.stringify(placed), { OrderPlaced: { writes } }, 'user');
    expect(result).toMatchObject({ action: 'write', event: { eventId: placed.eventId } });
    expect(writes).not.toHaveBeenCalled();
    if (result.action === 'write') expect(result.writes()).toEqual([{ sql: 'SELECT 1', params: ['order-1'] }]);
  });

  it('unwraps an SNS notification around the event', () => {
    const body = JSON.stringify({ Type: 'Notification', Message: JSON.stringify(placed) });
    expect(classifyMessage(body, handlers, 'user')).toMatchObject({ action: 'handle' });
  });

  it.each([
    ['no body', undefined, 'unparseable-body'],
    ['a body that is not JSON', 'not json', 'unparseable-body'],
    [
      'an SNS notification whose Message is not JSON',
      JSON.stringify({ Type: 'Notification', Message: '{' }),
      'unparseable-body',
    ],
    ['an object that is no envelope', JSON.stringify({ hello: 'world' }), 'invalid-envelope'],
    [
      'an event type nobody declared',
      JSON.stringify({ ...placed, eventType: 'OrderTeleported' }),
      'unknown-event-type',
    ],
    ['data that breaks the schema', JSON.stringify({ ...placed, data: { orderId: 1 } }), 'invalid-data'],
  ])('dead-letters %s as %s', (_case, body, reason) => {
    const result = classifyMessage(body, handlers, 'user');
    expect(result).toMatchObject({ action: 'dead-letter', reason });
    if (result.action === 'dead-letter') expect(result.errors.length).toBeGreaterThan(0);
  });

  it('dead-letters a valid event the consumer has no handler for, saying which consumer and type', () => {
    const confirmed = orderEvent('OrderConfirmed', 'order-1', 2);
    expect(classifyMessage(JSON.stringify(confirmed), handlers, 'user')).toEqual({
      action: 'dead-letter',
      reason: 'no-handler',
      errors: ['consumer "user" has no handler for OrderConfirmed'],
      event: confirmed,
    });
  });
});
