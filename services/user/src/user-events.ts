/**
 * What the user service tells the world: UserRegistered / UserUpdated, written to the transactional outbox inside
 * the same transaction as the change (see UserChangeHooks), so an event exists exactly when the change committed.
 */
import { createEvent } from '@shop/contracts';
import { enqueueEvents } from '@shop/messaging';
import type { User } from './domain/user';
import type { UserChangeHooks } from './user-store';

const snapshotOf = (user: User) => ({ userId: user.id, email: user.email, name: user.name });

export const userEventHooks: UserChangeHooks = {
  onRegistered: (tx, user, metadata) =>
    enqueueEvents(tx, [
      createEvent({
        eventType: 'UserRegistered',
        aggregateId: user.id,
        aggregateVersion: user.version,
        data: snapshotOf(user),
        metadata,
      }),
    ]),
  onUpdated: (tx, user, metadata) =>
    enqueueEvents(tx, [
      createEvent({
        eventType: 'UserUpdated',
        aggregateId: user.id,
        aggregateVersion: user.version,
        data: snapshotOf(user),
        metadata,
      }),
    ]),
};
