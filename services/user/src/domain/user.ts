/** The user as this service owns it, and as it is shown to others (never with its password hash). */
import { Type, type Static } from '@shop/service-kit';

export const AddressSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' }),
  },
  { additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    name: Type.String(),
    shippingAddress: AddressSchema,
    version: Type.Integer({ description: 'Incremented on every change' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export interface User {
  id: string;
  email: string;
  name: string;
  shippingAddress: Address;
  version: number;
  createdAt: string;
  updatedAt: string;
}
