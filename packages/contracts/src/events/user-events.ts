// Events the user service publishes. Both carry the full customer snapshot, so a replica keeps the newest one.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';

const CustomerSnapshot = {
  userId: Type.String({ minLength: 1 }),
  email: Type.String({ minLength: 3 }),
  name: Type.String({ minLength: 1 }),
};

export const userEvents = {
  UserRegistered: defineEvent('user', 1, Type.Object(CustomerSnapshot)),
  UserUpdated: defineEvent('user', 1, Type.Object(CustomerSnapshot)),
};
