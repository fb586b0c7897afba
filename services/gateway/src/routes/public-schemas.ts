/**
 * The public contract as the gateway documents it at /docs. Request schemas are enforced here too (a bad request
 * never costs an upstream call); response schemas describe what the internal services answer and are passed through
 * unchanged, so they are documentation, not a second serialisation.
 */
import { ProblemSchema, Type } from '@shop/service-kit';
import { PostalAddress, ShippingAddress } from '@shop/contracts';

export const problem = Type.Ref(ProblemSchema);

/** Answers every public route may give besides its own. */
export const commonProblems = { 401: problem, 429: problem, 503: problem, 504: problem };

const Money = Type.Object({
  amountMinor: Type.Integer({ description: 'Integer minor units, e.g. 1999 for 19.99' }),
  currency: Type.String({ description: 'ISO 4217 code' }),
});
const nullableMoney = Type.Union([Money, Type.Null()]);
const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Stock keeping unit' });

export const TokenRequest = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const TokenResponse = Type.Object({
  accessToken: Type.String({ description: 'JWT; send as `Authorization: Bearer <accessToken>`' }),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the token expires' }),
});

export const Registration = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
    shippingAddress: PostalAddress,
  },
  { additionalProperties: false },
);
export const ProfileUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    shippingAddress: Type.Optional(PostalAddress),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const User = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  shippingAddress: PostalAddress,
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const UserId = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const OrderHistory = Type.Object({
  orders: Type.Array(
    Type.Object({
      orderId: Type.String(),
      status: Type.String(),
      total: nullableMoney,
      itemCount: Type.Union([Type.Integer(), Type.Null()]),
      placedAt: Type.Union([Type.String(), Type.Null()]),
      updatedAt: Type.String(),
    }),
  ),
});

export const Product = Type.Object({
  sku: Sku,
  name: Type.String(),
  price: Money,
  stock: Type.Integer({ description: 'Units that can still be reserved' }),
  reserved: Type.Integer(),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const SkuParams = Type.Object({ sku: Sku });

export const Page = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 300, description: '`nextCursor` of the previous page' })),
  },
  { additionalProperties: false },
);
export const nextCursor = Type.Union([Type.String(), Type.Null()]);

export const OrderStatus = Type.Union(
  ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'NEEDS_ATTENTION'].map((status) =>
    Type.Literal(status),
  ),
);
export const PlaceOrder = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    shippingAddress: ShippingAddress,
    paymentMethod: Type.String({ minLength: 1, maxLength: 100, description: 'Payment provider token, e.g. tok_visa' }),
  },
  { additionalProperties: false },
);
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'A repeat with the same key and body returns the first order',
    }),
  ),
});
export const OrderAccepted = Type.Object({
  id: Type.String(),
  status: Type.Literal('PENDING'),
  location: Type.String({ description: 'Where to follow the order, e.g. /api/orders/{id}' }),
});
export const Order = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    status: OrderStatus,
    items: Type.Array(
      Type.Object({ sku: Type.String(), quantity: Type.Integer(), unitPrice: nullableMoney, lineTotal: nullableMoney }),
    ),
    total: nullableMoney,
    shippingAddress: ShippingAddress,
  },
  { additionalProperties: true, description: 'Also: payment, shipment and tracking ids, and the checkout saga steps' },
);
export const OrderId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const OrderListQuery = Type.Object(
  {
    status: Type.Optional(OrderStatus),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export const OrderSummaries = Type.Object({
  orders: Type.Array(
    Type.Object({ id: Type.String(), status: OrderStatus, total: nullableMoney }, { additionalProperties: true }),
  ),
  nextCursor,
});
