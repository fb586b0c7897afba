// Conformance: sending, receiving (incl. long polling), deleting, visibility and redrive, through the SDK only.
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { errorOf, eventually, newQueue as createQueue, openConformanceEndpoint } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

const newQueue = (prefix: string, attributes?: Record<string, string>) =>
  createQueue(aws, aws.uniqueName(prefix), attributes);

/** An independent implementation of AWS's attribute digest, the oracle for the endpoint's MD5OfMessageAttributes. */
function expectedAttributesMd5(attributes: Record<string, MessageAttributeValue>): string {
  const parts: Buffer[] = [];
  const withLength = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    withLength(Buffer.from(name));
    withLength(Buffer.from(DataType!));
    if (BinaryValue) {
      parts.push(Buffer.from([2]));
      withLength(Buffer.from(BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      withLength(Buffer.from(StringValue!));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

const attributes: Record<string, MessageAttributeValue> = {
  eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
  'trace.id': { DataType: 'String', StringValue: 'abc' },
  amount: { DataType: 'Number', StringValue: '12.5' },
  blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250]) },
};

describe('SendMessage / ReceiveMessage / DeleteMessage', () => {
  it('round-trips body and String/Number/Binary attributes with the MD5s AWS computes', async () => {
    const QueueUrl = await newQueue('roundtrip');
    const sent = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'héllo', MessageAttributes: attributes }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo').digest('hex'));
    expect(sent.MD5OfMessageAttributes).toBe(expectedAttributesMd5(attributes));

    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    expect(Messages).toHaveLength(1);
    const [message] = Messages!;
    expect(message.MessageId).toBe(sent.MessageId);
    expect(message.Body).toBe('héllo');
    expect(message.MessageAttributes?.amount).toEqual({ DataType: 'Number', StringValue: '12.5' });
    expect(Buffer.from(message.MessageAttributes!.blob.BinaryValue!)).toEqual(Buffer.from([0, 1, 2, 250]));
    expect(message.MD5OfMessageAttributes).toBe(expectedAttributesMd5(attributes));
    expect(message.Attributes).toMatchObject({ ApproximateReceiveCount: '1' });
    expect(Number(message.Attributes?.SentTimestamp)).toBeGreaterThan(1_600_000_000_000);
    expect(message.Attributes?.ApproximateFirstReceiveTimestamp).toBeDefined();
    expect(message.Attributes?.SenderId).toBeDefined();

    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
    const empty = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(empty.Messages).toBeUndefined();
  });

  it('selects message attributes by name, by prefix `trace.*`, or none', async () => {
    const QueueUrl = await newQueue('select');
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: attributes }));
    const byPrefix = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['trace.*', 'amount'], VisibilityTimeout: 0 }),
    );
    const selected = byPrefix.Messages![0];
    expect(Object.keys(selected.MessageAttributes ?? {}).sort()).toEqual(['amount', 'trace.id']);
    expect(selected.MD5OfMessageAttributes).toBe(
      expectedAttributesMd5({ amount: attributes.amount, 'trace.id': attributes['trace.id'] }),
    );
    expect(selected.Attributes).toBeUndefined();
    const none = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(none.Messages![0].MessageAttributes).toBeUndefined();
  });

  it('returns up to MaxNumberOfMessages and rejects values outside 1–10', async () => {
    const QueueUrl = await newQueue('max');
    for (let i = 0; i < 12; i++) await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    const received = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages!.length).toBeGreaterThan(0);
    expect(received.Messages!.length).toBeLessThanOrEqual(10);
    const tooMany = await errorOf(aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })));
    expect(tooMany.name).toBe('InvalidParameterValue');
    expect(tooMany.message).toBe(
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    );
    const tooLong = await errorOf(aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })));
    expect(tooLong.name).toBe('InvalidParameterValue');
    expect(tooLong.message).toBe(
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    );
  });

  it('delays a message by DelaySeconds', async () => {
    const QueueUrl = await newQueue('delay');
    const sentAt = Date.now();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect((await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const { Messages } = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    expect(Messages?.[0].Body).toBe('later');
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(900);
  });

  it('rejects a message above MaximumMessageSize and an empty body', async () => {
    const QueueUrl = await newQueue('size', { MaximumMessageSize: '1024' });
    const tooBig = await errorOf(aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) })));
    expect(tooBig.name).toBe('InvalidParameterValue');
    expect(tooBig.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    const empty = await errorOf(aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '' })));
    expect(empty.name).toBe('MissingParameter');
    expect(empty.message).toBe('The request must contain the parameter MessageBody.');
  });

  it('accepts a 1 MiB message on a default queue and refuses one byte more', async () => {
    const QueueUrl = await newQueue('mib');
    const sent = await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024 * 1024) }));
    expect(sent.MessageId).toBeDefined();
    const error = await errorOf(
      aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024 * 1024 + 1) })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('rejects a malformed receipt handle (ReceiptHandleIsInvalid)', async () => {
    const QueueUrl = await newQueue('handle');
    const error = await errorOf(aws.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' })));
    expect(error.name).toBe('ReceiptHandleIsInvalid');
    expect(error.message).toBe('The input receipt handle "garbage" is not a valid receipt handle.');
  });
});

describe('long polling', () => {
  it('waits the full WaitTimeSeconds when no message arrives and returns no Messages', async () => {
    const QueueUrl = await newQueue('empty-poll');
    const started = Date.now();
    const result = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(result.Messages).toBeUndefined();
  });

  it('returns as soon as a message is sent', async () => {
    const QueueUrl = await newQueue('wake');
    const started = Date.now();
    const polling = aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the poll reach the server first
    const sentAt = Date.now();
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    const { Messages } = await polling;
    expect(Messages?.[0].Body).toBe('wake up');
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the call gives none', async () => {
    const QueueUrl = await newQueue('queue-wait', { ReceiveMessageWaitTimeSeconds: '1' });
    const started = Date.now();
    const result = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(result.Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });
});

describe('visibility timeout', () => {
  it('hides a received message, then redelivers it with ApproximateReceiveCount 2', async () => {
    const QueueUrl = await newQueue('visibility');
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'retry me' }));
    const first = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1, MessageSystemAttributeNames: ['All'] }),
    );
    expect(first.Messages![0].Attributes?.ApproximateReceiveCount).toBe('1');
    expect((await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    const again = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    expect(again.Messages![0].MessageId).toBe(first.Messages![0].MessageId);
    expect(again.Messages![0].Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  it('ChangeMessageVisibility 0 makes the message receivable at once', async () => {
    const QueueUrl = await newQueue('change-vis');
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const first = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60 }));
    await aws.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first.Messages![0].ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.[0].MessageId).toBe(first.Messages![0].MessageId);
  });

  // API_ChangeMessageVisibility: after the timeout has run out an attempt to change it "might result in an error";
  // on a standard queue the receipt handle stays valid until the message is received again, and AWS then answers
  // 200 and hides the message again. (A timeout of 0 on receive makes the timeout run out at once, no waiting.)
  it('hides a standard-queue message again when its visibility already expired (single and batch)', async () => {
    const QueueUrl = await newQueue('expired-vis');
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    const handles: Record<string, string> = {};
    while (Object.keys(handles).length < 2) {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) handles[message.Body!] = message.ReceiptHandle!;
    }
    await aws.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handles.one, VisibilityTimeout: 60 }),
    );
    const batch = await aws.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [{ Id: 'two', ReceiptHandle: handles.two, VisibilityTimeout: 60 }],
      }),
    );
    expect(batch.Failed ?? []).toEqual([]);
    expect(
      (await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages,
    ).toBeUndefined();
  });

  it('refuses to change the visibility of a message that is no longer in flight', async () => {
    const QueueUrl = await newQueue('stale-vis');
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const first = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages![0].ReceiptHandle }));
    const error = await errorOf(
      aws.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: first.Messages![0].ReceiptHandle,
          VisibilityTimeout: 10,
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });
});

describe('redrive to a dead-letter queue', () => {
  it('moves the message on the receive after maxReceiveCount, keeping MessageId and attributes', async () => {
    const dlqUrl = await newQueue('dlq');
    const dlq = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const QueueUrl = await newQueue('source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.Attributes!.QueueArn, maxReceiveCount: 2 }),
    });
    const source = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }),
    );
    expect(JSON.parse(source.Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: dlq.Attributes!.QueueArn,
      maxReceiveCount: 2,
    });
    const sent = await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'poison',
        MessageAttributes: { eventType: attributes.eventType },
      }),
    );

    for (let attempt = 1; attempt <= 2; attempt++) {
      const received = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 1 }),
      );
      expect(received.Messages?.[0].MessageId).toBe(sent.MessageId);
    }
    const third = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(third.Messages).toBeUndefined();

    const dead = await eventually(async () => {
      const r = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      return r.Messages?.[0];
    });
    expect(dead.MessageId).toBe(sent.MessageId);
    expect(dead.Body).toBe('poison');
    expect(dead.MessageAttributes?.eventType.StringValue).toBe('OrderPlaced');
    expect(dead.Attributes?.DeadLetterQueueSourceArn).toBe(source.Attributes!.QueueArn);
  });
});
