// A postal address as the services exchange it (a user's profile, an order's destination, a shipment): one schema,
// so the gateway, user, order and shipping accept and refuse exactly the same addresses.
import { Type, type Static } from '@sinclair/typebox';

const addressFields = {
  line1: Type.String({ minLength: 1, maxLength: 200 }),
  line2: Type.Optional(Type.String({ maxLength: 200 })),
  city: Type.String({ minLength: 1, maxLength: 100 }),
  postalCode: Type.String({ minLength: 1, maxLength: 20 }),
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' }),
};

/** A customer's own address (the user profile). */
export const PostalAddress = Type.Object(addressFields, { additionalProperties: false });
export type PostalAddress = Static<typeof PostalAddress>;

/** Where a parcel goes: a postal address with an optional recipient name. */
export const ShippingAddress = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...addressFields },
  { additionalProperties: false },
);
export type ShippingAddress = Static<typeof ShippingAddress>;
