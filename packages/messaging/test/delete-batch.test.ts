// A unit test of one module: the receive's DeleteMessageBatch, against a recording SQS stand-in and a fake clock.
import { FakeClock } from '@shop/clock';
import type { DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { type DeleteMessageBatchResult, type SQSClient } from '@aws-sdk/client-sqs';
import { createDeleteBatch, type Acknowledgement } from '../src/consumer/delete-batch';
import { recordingLogger } from './fixtures';

const acknowledgement = (id: string, duplicate = false): Acknowledgement => ({
  message: { MessageId: id, ReceiptHandle: `receipt-${id}` },
  duplicate,
  context: { messageId: id },
});

function recordingSqs(answer: (receipts: string[]) => Partial<DeleteMessageBatchResult> = () => ({})) {
  const batches: string[][] = [];
  const sqs = {
    send: async (command: DeleteMessageBatchCommand) => {
      const receipts = command.input.Entries!.map((entry) => entry.ReceiptHandle!);
      batches.push(receipts);
      return answer(receipts);
    },
  } as unknown as Pick<SQSClient, 'send'>;
  return { sqs, batches };
}

describe('the delete batch of one receive', () => {
  const setUp = (sqsFixture = recordingSqs()) => {
    const clock = new FakeClock(0);
    const logger = recordingLogger();
    const batch = createDeleteBatch({
      sqs: sqsFixture.sqs,
      queueUrl: 'queue',
      size: 3,
      maxWaitMs: 1_000,
      clock,
      logger,
    });
    return { batch, clock, logger, batches: sqsFixture.batches };
  };

  it('deletes the acknowledged messages in one call once every message of the receive reported', async () => {
    const { batch, batches } = setUp();
    await batch.settled(acknowledgement('a'));
    await batch.settled(undefined); // retried later: stays on the queue
    expect(batches).toEqual([]);
    await batch.settled(acknowledgement('c'));
    expect(batches).toEqual([['receipt-a', 'receipt-c']]);
  });

  it('logs the entries SQS failed to delete (they are delivered again, and the inbox drops them)', async () => {
    const fixture = recordingSqs(() => ({
      Successful: [{ Id: '0' }],
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', Message: 'expired', SenderFault: true }],
    }));
    const { batch, logger } = setUp(fixture);
    await batch.settled(acknowledgement('a', true));
    await batch.settled(acknowledgement('b', true));
    await batch.settled(undefined);
    expect(logger.lines).toEqual([
      { level: 'info', message: 'consumer: duplicate delivery acknowledged', object: { messageId: 'a' } },
      {
        level: 'warn',
        message: 'consumer: could not acknowledge message',
        object: { messageId: 'b', err: { code: 'ReceiptHandleIsInvalid', message: 'expired' } },
      },
    ]);
  });

  it('logs every entry when the call itself fails, and resolves', async () => {
    const fixture = recordingSqs(() => {
      throw new Error('socket hang up');
    });
    const { batch, logger } = setUp(fixture);
    await batch.settled(acknowledgement('a'));
    await batch.settled(acknowledgement('b'));
    await batch.settled(acknowledgement('c'));
    expect(logger.lines.map((line) => line.message)).toEqual(Array(3).fill('consumer: could not acknowledge message'));
  });

  it('does not let a slow batch-mate hold a handled message past maxWaitMs', async () => {
    const { batch, clock, batches } = setUp();
    await batch.settled(acknowledgement('a'));
    await clock.advance(999);
    expect(batches).toEqual([]);
    await clock.advance(1);
    expect(batches).toEqual([['receipt-a']]);
    await batch.settled(acknowledgement('b'));
    await batch.settled(acknowledgement('c'));
    expect(batches).toEqual([['receipt-a'], ['receipt-b', 'receipt-c']]);
  });
});
