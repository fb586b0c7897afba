/** The shapes of the order API (requests and responses), shared by the order and saga routes. */
import { Type } from '@shop/service-kit';
import { ShippingAddress } from '@shop/contracts';

const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' });
export const MoneySchema = Type.Object({
  amountMinor: Type.Integer({ minimum: 0, description: 'Integer minor units, e.g. 1999 for 19.99' }),
  currency: Currency,
});
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const OrderItemSchema = Type.Object(
  {
    sku: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Stock keeping unit' }),
    quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { additionalProperties: false },
);

/** The destination, as shipping takes it (the shared contract). */
export const AddressSchema = ShippingAddress;

export const StatusSchema = Type.Union(
  ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'NEEDS_ATTENTION'].map((status) =>
    Type.Literal(status),
  ),
  { description: 'NEEDS_ATTENTION: the checkout saga is parked until someone retries it (POST /sagas/{id}/retry)' },
);

export const StepLogEntrySchema = Type.Object({
  step: Type.String(),
  action: Type.Union([Type.Literal('invoke'), Type.Literal('compensate')]),
  attempt: Type.Integer(),
  idempotencyKey: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
  outcome: Type.Optional(
    Type.String({
      description:
        'succeeded | business-failure | transient-failure | error; absent while running (or cut off by a crash)',
    }),
  ),
  error: Type.Optional(Type.String()),
});

export const SagaSchema = Type.Object({
  id: Type.String(),
  sagaName: Type.String(),
  state: Type.String({ description: 'RUNNING | COMPENSATING | COMPLETED | COMPENSATED | NEEDS_ATTENTION' }),
  currentStep: Type.Optional(Type.String()),
  attempt: Type.Integer(),
  nextAttemptAt: Type.Optional(Type.String({ format: 'date-time' })),
  failureReason: Type.Optional(Type.String()),
  attention: Type.Optional(Type.Object({ reason: Type.String(), resumesAs: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  steps: Type.Array(StepLogEntrySchema),
});

export const OrderSchema = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  status: StatusSchema,
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      unitPrice: nullable(MoneySchema),
      lineTotal: nullable(MoneySchema),
    }),
  ),
  total: nullable(MoneySchema),
  shippingAddress: AddressSchema,
  paymentId: nullable(Type.String()),
  shipmentId: nullable(Type.String()),
  carrier: nullable(Type.String()),
  trackingNumber: nullable(Type.String()),
  cancellationReason: nullable(Type.String()),
  version: Type.Integer({ description: 'The order stream version' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  saga: nullable(SagaSchema),
});

export const OrderSummarySchema = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  status: StatusSchema,
  total: nullable(MoneySchema),
  itemCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});
