/** Money as every API here shows it: integer minor units and an ISO 4217 code (the shape of @shop/contracts' Money). */
import { Type, type Static } from '@shop/service-kit';

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' });

export const MoneySchema = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0, description: 'Integer minor units, e.g. 1999 for 19.99' }),
    currency: Currency,
  },
  { additionalProperties: false },
);
export type Money = Static<typeof MoneySchema>;

/** A unit price as an admin may set it: bounded so it fits the integer column and any line total stays exact. */
export const PriceSchema = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Integer minor units' }),
    currency: Currency,
  },
  { additionalProperties: false },
);
