// Money crosses service boundaries as integer minor units (cents) plus an ISO 4217 code: no floating-point rounding.
import { Type, type Static } from '@sinclair/typebox';

export const Money = Type.Object(
  {
    /** Integer minor units, e.g. 1999 for 19.99 EUR. */
    amountMinor: Type.Integer({ minimum: 0 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' }),
  },
  { $id: 'Money' },
);
export type Money = Static<typeof Money>;
