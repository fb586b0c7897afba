// A queue's RedrivePolicy: checked against the queues that exist (AWS refuses a dead-letter target that does not
// exist, or one of the other queue type) and stored in AWS's normal form, whatever spacing or types were sent.
import { invalidParameterValue } from './validate';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** What validation needs to know about a would-be dead-letter queue, when it exists. */
export type DeadLetterTargetLookup = (arn: string) => { fifo: boolean } | undefined;

/** Reads a stored (already validated) policy. */
export function parseRedrivePolicy(value: string | undefined): RedrivePolicy | undefined {
  if (!value) return undefined;
  const parsed = JSON.parse(value) as RedrivePolicy;
  return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: Number(parsed.maxReceiveCount) };
}

/**
 * Validates a RedrivePolicy given to CreateQueue / SetQueueAttributes for a queue of the given type, and returns
 * it as AWS stores it: `{"deadLetterTargetArn":"…","maxReceiveCount":5}` (the count a number, even when sent as
 * a string). The empty string (which removes the policy) passes through.
 */
export function normaliseRedrivePolicy(value: string, sourceFifo: boolean, lookup: DeadLetterTargetLookup): string {
  if (value === '') return value;
  const refuse = (reason: string) =>
    invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw refuse('Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw refuse('Redrive policy is not a valid JSON map.');
  }
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (deadLetterTargetArn === undefined) {
    throw refuse('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  }
  if (maxReceiveCount === undefined) {
    throw refuse('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  }
  const count =
    typeof maxReceiveCount === 'string' && /^\d+$/.test(maxReceiveCount) ? Number(maxReceiveCount) : maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw refuse('Invalid value for maxReceiveCount: must be an integer from 1 to 1000.');
  }
  // The lookup only knows queues of this account and region, so a target elsewhere "does not exist" here too.
  const target = typeof deadLetterTargetArn === 'string' ? lookup(deadLetterTargetArn) : undefined;
  if (!target) throw refuse('Dead letter target does not exist.');
  if (target.fifo !== sourceFifo) throw refuse('Dead-letter queue must be same type of queue as the source.');
  return JSON.stringify({ deadLetterTargetArn, maxReceiveCount: count });
}
