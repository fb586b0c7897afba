/** The shipment as this service owns it and shows it, and the request that creates one. */
import { Type, type Static } from '@shop/service-kit';
import { ShippingAddress } from '@shop/contracts';

export const ShipmentStatus = {
  CREATED: 'CREATED',
  DISPATCHED: 'DISPATCHED',
  DELIVERED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
} as const;
export type ShipmentStatus = (typeof ShipmentStatus)[keyof typeof ShipmentStatus];

export const OrderIdSchema = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' });

/** The destination (the shared contract: user, order and gateway take the same). */
export const AddressSchema = ShippingAddress;
export type Address = Static<typeof AddressSchema>;

export const ShipmentItemSchema = Type.Object(
  { sku: Type.String({ minLength: 1, maxLength: 100 }), quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
  { additionalProperties: false },
);
export type ShipmentItem = Static<typeof ShipmentItemSchema>;

export const CreateShipmentBody = Type.Object(
  {
    orderId: OrderIdSchema,
    address: AddressSchema,
    items: Type.Array(ShipmentItemSchema, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type CreateShipmentRequest = Static<typeof CreateShipmentBody>;

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const timestamp = () => Type.String({ format: 'date-time' });

export const ShipmentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    orderId: Type.String(),
    status: Type.Union(Object.values(ShipmentStatus).map((status) => Type.Literal(status))),
    tombstone: Type.Boolean({
      description: 'Cancelled by order before any create arrived: a later create for this order is refused (409)',
    }),
    address: Type.Union([AddressSchema, Type.Null()], { description: 'null on a tombstone' }),
    items: Type.Array(ShipmentItemSchema, { description: 'empty on a tombstone' }),
    carrier: nullable(Type.String()),
    trackingNumber: nullable(Type.String()),
    cancellationReason: nullable(Type.String()),
    version: Type.Integer({ description: 'aggregateVersion of the latest event about this shipment' }),
    nextTransitionAt: nullable(timestamp()),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    dispatchedAt: nullable(timestamp()),
    deliveredAt: nullable(timestamp()),
    cancelledAt: nullable(timestamp()),
  },
  { additionalProperties: false },
);
export type Shipment = Static<typeof ShipmentSchema>;
