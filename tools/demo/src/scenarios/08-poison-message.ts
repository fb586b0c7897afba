import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { listDeadLetters, redriveDeadLetters } from '@shop/messaging';
import { check, poll, requireSystem, type Scenario } from '../scenario';

const QUEUE = 'user-service';

export const poisonMessage: Scenario = {
  id: 8,
  title: 'Poison message → dead-letter queue, inspected and redriven',
  lesson: 'A message that can never be handled is parked with its reason instead of blocking or looping forever.',
  needsLocalSystem: true,
  async run(context) {
    const { out } = context;
    const { aws } = requireSystem(context);
    const before = (await listDeadLetters(aws.sqs, QUEUE)).length;
    const { QueueUrl } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
    await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: '{"eventType":"OrderPlaced","data":"not an envelope"}' }),
    );
    out.note(`sent a malformed OrderPlaced to ${QUEUE}`);

    const parked = await poll(
      () => listDeadLetters(aws.sqs, QUEUE),
      (letters) => letters.length > before,
      { timeoutMs: 10_000 },
    );
    check(parked.length > before, 'the poison message never reached the DLQ');
    const letter = parked[parked.length - 1]!;
    out.figure(`${QUEUE}-dlq depth`, String(parked.length));
    out.figure('reason recorded with it', (letter.reason ?? '—').slice(0, 80));
    out.note(`inspect with: pnpm dlq list ${QUEUE}   ·   move back with: pnpm dlq redrive ${QUEUE}`);

    const moved = await redriveDeadLetters(aws.sqs, QUEUE);
    out.figure('redriven to the source queue', String(moved));
    const again = await poll(
      () => listDeadLetters(aws.sqs, QUEUE),
      (letters) => letters.length === parked.length,
      { timeoutMs: 10_000 },
    );
    check(again.length === parked.length, 'the redriven poison message did not come back to the DLQ');
    out.note('still unreadable, so it is parked again: redrive is for messages whose cause has been fixed');
  },
};
