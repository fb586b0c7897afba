/**
 * Thrown by a handler when retrying cannot help (the event contradicts the consumer's state in a way only a person
 * can resolve): the consumer dead-letters the message at once instead of retrying it maxReceiveCount times.
 * Any other error is treated as transient.
 */
export class UnrecoverableMessageError extends Error {
  override readonly name = 'UnrecoverableMessageError';
}
