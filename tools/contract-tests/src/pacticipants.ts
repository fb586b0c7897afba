/**
 * The names consumers and providers go by in pact files (and in a Pact Broker). One list, so a typo cannot make a
 * provider verify nothing: `verifyProvider` fails when no pact names its provider.
 */
export const Pacticipant = {
  gateway: 'gateway',
  order: 'order-service',
  user: 'user-service',
  inventory: 'inventory-service',
  payment: 'payment-service',
  shipping: 'shipping-service',
} as const;
export type Pacticipant = (typeof Pacticipant)[keyof typeof Pacticipant];
