/** A product as the catalogue shows it: identity, price, and how many units can still be reserved. */
import { Type, type Static } from '@shop/service-kit';
import { MoneySchema } from './money';

export const SKU_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const SkuSchema = Type.String({ pattern: SKU_PATTERN, description: 'Stock keeping unit, e.g. SKU-RED-MUG' });

export const ProductSchema = Type.Object(
  {
    sku: SkuSchema,
    name: Type.String(),
    price: MoneySchema,
    stock: Type.Integer({ minimum: 0, description: 'Units that can still be reserved' }),
    reserved: Type.Integer({ minimum: 0, description: 'Units held by reservations not yet committed or released' }),
    version: Type.Integer({ description: 'Incremented on every catalogue change (not on reservations)' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Product = Static<typeof ProductSchema>;
