/** A stock reservation, addressed by the order it belongs to. Lines carry the price snapshot the order charges. */
import { Type, type Static } from '@shop/service-kit';
import { MoneySchema, type Money } from './money';
import { SkuSchema } from './product';

export const ReservationStatus = Type.Union([
  Type.Literal('reserved'),
  Type.Literal('committed'),
  Type.Literal('released'),
]);
export type ReservationStatus = Static<typeof ReservationStatus>;

export const ReservationLineSchema = Type.Object(
  {
    sku: SkuSchema,
    name: Type.String(),
    quantity: Type.Integer({ minimum: 1 }),
    unitPrice: MoneySchema,
    lineTotal: MoneySchema,
  },
  { additionalProperties: false },
);
export type ReservationLine = Static<typeof ReservationLineSchema>;

export const ReservationSchema = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      description: 'The reservation id events carry; the API addresses it by orderId',
    }),
    orderId: Type.String(),
    status: ReservationStatus,
    tombstone: Type.Boolean({
      description: 'A release arrived before any reserve: nothing was held, and nothing ever will be',
    }),
    lines: Type.Array(ReservationLineSchema),
    total: Type.Union([MoneySchema, Type.Null()], { description: 'Sum of the line totals; null only for a tombstone' }),
    version: Type.Integer({ description: '1 when created, 2 once committed or released' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Reservation = Static<typeof ReservationSchema>;

export interface RequestedItem {
  sku: string;
  quantity: number;
}

/** Lines in a canonical order (by sku), so a repeat can be compared with the original whatever order it lists them in. */
export function sameItems(
  lines: readonly { sku: string; quantity: number }[],
  items: readonly RequestedItem[],
): boolean {
  if (lines.length !== items.length) return false;
  const bySku = new Map(lines.map((line) => [line.sku, line.quantity]));
  return items.every((item) => bySku.get(item.sku) === item.quantity);
}

/** Total of the lines; all lines share one currency (reserve refuses a mix). */
export function totalOf(lines: readonly ReservationLine[]): Money | null {
  if (lines.length === 0) return null;
  return {
    amountMinor: lines.reduce((sum, line) => sum + line.lineTotal.amountMinor, 0),
    currency: lines[0]!.unitPrice.currency,
  };
}
