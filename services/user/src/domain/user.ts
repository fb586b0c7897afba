/** The user as this service owns it, and as it is shown to others (never with its password hash). */
import { Type, type Static } from '@shop/service-kit';
import { PostalAddress } from '@shop/contracts';

/** The customer's address (the shared contract: the gateway takes the same). */
export const AddressSchema = PostalAddress;
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
