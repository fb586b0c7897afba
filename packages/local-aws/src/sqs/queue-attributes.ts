// Queue attribute names, defaults and validation, as SQS documents them (values travel as strings on the wire).
import { AwsError } from '../aws-error';

export const MIB = 1024 * 1024;

const SETTABLE = new Set([
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

/** Attributes only CreateQueue accepts. */
const CREATE_ONLY = new Set(['FifoQueue']);

const COMPUTED = new Set([
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
]);

/** Every name GetQueueAttributes understands (besides `All`). */
export const READABLE_ATTRIBUTES = new Set([...SETTABLE, ...CREATE_ONLY, ...COMPUTED]);

const INTEGER_RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, MIB],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export function defaultAttributes(fifo: boolean): Record<string, string> {
  const defaults: Record<string, string> = {
    DelaySeconds: '0',
    MaximumMessageSize: String(MIB),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  };
  if (fifo) {
    Object.assign(defaults, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  }
  return defaults;
}

function invalidValue(name: string, reason?: string): AwsError {
  const suffix = reason ? ` Reason: ${reason}` : '';
  return new AwsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${suffix}`);
}

/**
 * Validates attributes given to CreateQueue / SetQueueAttributes; throws the error SQS would answer.
 * RedrivePolicy is checked separately (see redrive-policy.ts): it depends on the other queues.
 */
export function validateAttributes(attributes: Record<string, string>, creating: boolean, fifo: boolean): void {
  for (const [name, value] of Object.entries(attributes)) {
    const allowed = SETTABLE.has(name) || (creating && CREATE_ONLY.has(name));
    if (!allowed) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    if (typeof value !== 'string') throw invalidValue(name, 'must be a string.');
    const range = INTEGER_RANGES[name];
    if (range) {
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || n < range[0] || n > range[1]) throw invalidValue(name);
    }
    if (name === 'FifoQueue' && value !== String(fifo)) {
      throw invalidValue(name, 'The queue name must end with .fifo when FifoQueue is true.');
    }
    if (['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'].includes(name) && !fifo) {
      throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    if (name === 'Policy' && value !== '' && !isJsonObject(value)) {
      throw invalidValue(name, 'The policy is not a valid JSON object.');
    }
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
