/** A payment and its refund as this service owns them and shows them to others. Money is integer minor units. */
import { Type } from '@shop/service-kit';

export type PaymentStatus = 'captured' | 'declined' | 'refunded';

export const RefundSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    paymentId: Type.String({ format: 'uuid' }),
    amount: Type.Integer({ description: 'Minor units; always the full captured amount' }),
    currency: Type.String(),
    reason: Type.String(),
    providerReference: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const PaymentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    orderId: Type.String(),
    customerId: Type.String(),
    amount: Type.Integer({ description: 'Minor units, e.g. 1999 for 19.99' }),
    currency: Type.String({ description: 'ISO 4217 code' }),
    paymentMethod: Type.String(),
    status: Type.Union([Type.Literal('captured'), Type.Literal('declined'), Type.Literal('refunded')]),
    declineReason: Type.Union([Type.String(), Type.Null()]),
    providerReference: Type.Union([Type.String(), Type.Null()]),
    refund: Type.Union([RefundSchema, Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  providerReference: string;
  createdAt: string;
}

export interface Payment {
  id: string;
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  status: PaymentStatus;
  declineReason: string | null;
  providerReference: string | null;
  refund: Refund | null;
  createdAt: string;
  updatedAt: string;
}

export interface PaymentRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}
