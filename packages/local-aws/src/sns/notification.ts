// What an SQS subscriber receives from SNS: the Notification JSON envelope, or with RawMessageDelivery the bare
// message with its attributes carried over as SQS message attributes.
import type { MessageAttributes } from '../sqs/md5';

export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  region: string;
  message: string;
  subject?: string;
  /** As published: DataType plus StringValue or raw bytes. */
  attributes: MessageAttributes;
  timestamp: Date;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
}

/** Message attributes in the envelope's `{Type, Value}` form (binary as base64), also what filter policies read. */
export function envelopeAttributes(attributes: MessageAttributes): Record<string, { Type: string; Value: string }> {
  const result: Record<string, { Type: string; Value: string }> = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      Type: value.DataType,
      Value: value.BinaryValue !== undefined ? value.BinaryValue.toString('base64') : (value.StringValue ?? ''),
    };
  }
  return result;
}

export function notificationEnvelope(published: PublishedMessage, subscriptionArn: string): string {
  const endpoint = `https://sns.${published.region}.amazonaws.com`;
  const envelope: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: published.messageId,
    ...(published.sequenceNumber ? { SequenceNumber: published.sequenceNumber } : {}),
    TopicArn: published.topicArn,
    ...(published.subject !== undefined ? { Subject: published.subject } : {}),
    Message: published.message,
    Timestamp: published.timestamp.toISOString(),
    SignatureVersion: '1',
    // Not a real signature: the emulator has no signing key (documented in the README).
    Signature:
      'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertURL: `${endpoint}/SimpleNotificationService-0000000000000000000000.pem`,
    UnsubscribeURL: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
  };
  if (Object.keys(published.attributes).length > 0)
    envelope.MessageAttributes = envelopeAttributes(published.attributes);
  return JSON.stringify(envelope);
}
