// Events the payment service publishes about charges and refunds.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';
import { Money } from '../money';

const PaymentRef = {
  paymentId: Type.String({ minLength: 1 }),
  orderId: Type.String({ minLength: 1 }),
  amount: Money,
};

export const paymentEvents = {
  PaymentCaptured: defineEvent('payment', 1, Type.Object({ ...PaymentRef })),
  PaymentDeclined: defineEvent('payment', 1, Type.Object({ ...PaymentRef, reason: Type.String() })),
  PaymentRefunded: defineEvent('payment', 1, Type.Object({ ...PaymentRef, reason: Type.String() })),
};
