// Conformance: dead-letter queue redrive through the message move task API, as the AWS console does it
// (API_StartMessageMoveTask, API_ListMessageMoveTasks, API_CancelMessageMoveTask and the SQS Developer Guide,
// "Learn how to configure a dead-letter queue redrive in Amazon SQS").
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { ListMessageMoveTasksResultEntry } from '@aws-sdk/client-sqs';
import {
  againstLocalAws,
  drainQueue,
  errorOf,
  eventually,
  newQueue,
  openConformanceEndpoint,
  queueArnOf,
} from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

/** AWS takes a while to pick a task up; the in-process endpoint starts at once. */
const TASK_TIMEOUT_MS = againstLocalAws ? 5_000 : 120_000;

/** A source queue whose messages go to its DLQ after one receive, and `count` messages dead-lettered that way. */
async function deadLettered(
  count: number,
): Promise<{ sourceUrl: string; dlqUrl: string; dlqArn: string; ids: string[] }> {
  const dlqUrl = await newQueue(aws, aws.uniqueName('dlq'));
  const dlqArn = await queueArnOf(aws, dlqUrl);
  const sourceUrl = await newQueue(aws, aws.uniqueName('source'), {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
  });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const sent = await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: sourceUrl,
        MessageBody: `poison ${i}`,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    ids.push(sent.MessageId!);
  }
  // First receive: receive count 1, visible again at once. The next receive moves each message to the DLQ.
  await drainOnce(sourceUrl, count);
  await eventually(
    async () => {
      await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
      );
      return (await countOf(dlqUrl)) === count ? true : undefined;
    },
    TASK_TIMEOUT_MS,
    100,
  );
  return { sourceUrl, dlqUrl, dlqArn, ids };
}

async function drainOnce(queueUrl: string, count: number): Promise<void> {
  let seen = 0;
  while (seen < count) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 1,
      }),
    );
    seen += Messages.length;
  }
}

async function countOf(queueUrl: string): Promise<number> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
}

async function latestTask(sourceArn: string): Promise<ListMessageMoveTasksResultEntry> {
  const { Results } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  return Results![0];
}

function finished(sourceArn: string, status = 'COMPLETED'): Promise<ListMessageMoveTasksResultEntry> {
  return eventually(
    async () => {
      const task = await latestTask(sourceArn);
      return task?.Status === status ? task : undefined;
    },
    TASK_TIMEOUT_MS,
    100,
  );
}

describe('StartMessageMoveTask', () => {
  // "If this field [DestinationArn] is left blank, the messages will be redriven back to their respective original
  // source queues." "All redriven messages are treated as new messages and are assigned a new messageID".
  it('moves dead letters back to their source queue as new messages, body and attributes kept', async () => {
    const { sourceUrl, dlqUrl, dlqArn, ids } = await deadLettered(2);
    const { TaskHandle } = await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(TaskHandle).toEqual(expect.any(String));
    const task = await finished(dlqArn);
    expect(task).toMatchObject({
      SourceArn: dlqArn,
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
    });
    // "TaskHandle … is only populated for tasks that are in RUNNING status."
    expect(task.TaskHandle).toBeUndefined();
    expect(task.DestinationArn).toBeUndefined();
    const back = await drainQueue(aws, sourceUrl);
    expect(back.map((m) => m.Body).sort()).toEqual(['poison 0', 'poison 1']);
    expect(back[0].MessageAttributes?.kind.StringValue).toBe('test');
    expect(back.map((m) => m.MessageId)).not.toContain(ids[0]);
    expect(back[0].Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await countOf(dlqUrl)).toBe(0);
  });

  it('moves dead letters to the DestinationArn given, and lists that destination', async () => {
    const { dlqArn } = await deadLettered(1);
    const elsewhereUrl = await newQueue(aws, aws.uniqueName('elsewhere'));
    const elsewhereArn = await queueArnOf(aws, elsewhereUrl);
    await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: elsewhereArn }));
    expect(await finished(dlqArn)).toMatchObject({ DestinationArn: elsewhereArn, ApproximateNumberOfMessagesMoved: 1 });
    expect((await drainQueue(aws, elsewhereUrl)).map((m) => m.Body)).toEqual(['poison 0']);
  });

  // "Currently, only ARNs of dead-letter queues (DLQs) whose sources are other Amazon SQS queues are accepted."
  it('refuses a source queue that is no queue’s dead-letter queue', async () => {
    const plainArn = await queueArnOf(aws, await newQueue(aws, aws.uniqueName('plain')));
    const error = await errorOf(aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })));
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('refuses a source queue that does not exist (ResourceNotFoundException)', async () => {
    const missing = `arn:aws:sqs:${aws.region}:000000000000:${aws.uniqueName('missing')}`;
    const error = await errorOf(aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: missing })));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  // "The maximum value for messages per second is 500."
  it('refuses MaxNumberOfMessagesPerSecond above 500', async () => {
    const { dlqArn } = await deadLettered(1);
    const error = await errorOf(
      aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 501 })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });
});

describe('one task at a time, and cancelling', () => {
  // "Only one active message movement task is supported per queue at any given time." CancelMessageMoveTask:
  // "A message movement can only be cancelled when the current status is RUNNING. Cancelling a message movement
  // task does not revert the messages that have already been moved."
  it('refuses a second task while one runs, cancels the running one and keeps what it moved', async () => {
    const { sourceUrl, dlqUrl, dlqArn } = await deadLettered(5);
    const { TaskHandle } = await aws.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    const running = await latestTask(dlqArn);
    expect(running).toMatchObject({ Status: 'RUNNING', TaskHandle, MaxNumberOfMessagesPerSecond: 1 });
    const second = await errorOf(aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })));
    expect(second.name).toBe('InvalidParameterValue');
    const { ApproximateNumberOfMessagesMoved } = await aws.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const cancelled = await finished(dlqArn, 'CANCELLED');
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(ApproximateNumberOfMessagesMoved!);
    const moved = cancelled.ApproximateNumberOfMessagesMoved!;
    expect(moved).toBeLessThan(5);
    expect(await countOf(sourceUrl)).toBe(moved);
    expect(await countOf(dlqUrl)).toBe(5 - moved);
  });

  it('lists the most recent task first, one by default and up to MaxResults', async () => {
    const { dlqArn } = await deadLettered(1);
    const elsewhereArn = await queueArnOf(aws, await newQueue(aws, aws.uniqueName('elsewhere')));
    await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: elsewhereArn }));
    await finished(dlqArn);
    await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    await finished(dlqArn);
    const { Results: one } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(one).toHaveLength(1);
    expect(one![0].DestinationArn).toBeUndefined();
    const { Results: both } = await aws.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }),
    );
    expect(both!.map((task) => task.DestinationArn)).toEqual([undefined, elsewhereArn]);
  });
});
