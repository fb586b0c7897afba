// The aws CLI, a client nobody here wrote, against the endpoint: the calls tools make first (who am I, which tags)
// and DLQ redrive. Debian's awscli 2.9 speaks the query protocol to SQS, awscli 1.x / 2.13+ the JSON protocol.
// Runs when `aws` (or $AWS_CLI) is installed. A CLI built before the move-task API (June 2023; Debian's 2.9) is given
// those three operations from AWS's API reference through AWS_DATA_PATH (test/support/awscli-models), the CLI's own
// way to load service models: it then builds and parses the query-protocol requests itself, as a newer CLI would.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { againstLocalAws, eventually, openConformanceEndpoint } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

const cli = process.env.AWS_CLI ?? 'aws';
const version = spawnSync(cli, ['--version'], { encoding: 'utf8' });
const installed = version.status === 0;
const cliVersion = installed ? `${version.stdout}${version.stderr}`.trim().split(' ')[0] : '';
const MOVE_TASK_MODELS = { AWS_DATA_PATH: join(__dirname, 'support', 'awscli-models') };
/** `--generate-cli-skeleton` is answered by the CLI itself, so this needs no endpoint. */
const knowsMoveTasks = (env: NodeJS.ProcessEnv = {}) =>
  installed &&
  spawnSync(cli, ['sqs', 'start-message-move-task', '--generate-cli-skeleton'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  }).status === 0;
/** Extra environment for the move-task commands: none for a CLI that knows them, the models for one that does not. */
const moveTaskEnv: NodeJS.ProcessEnv | undefined = knowsMoveTasks()
  ? {}
  : knowsMoveTasks(MOVE_TASK_MODELS)
    ? MOVE_TASK_MODELS
    : undefined;

const describeWithCli = installed ? describe : describe.skip;
const itWithMoveTasks = moveTaskEnv ? it : it.skip;
/** Each CLI start costs a Python interpreter start, seconds on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 120_000;
const notInstalled = installed ? '' : ` (skipped: no "${cli}" on PATH; install awscli or set AWS_CLI)`;
const moveTasksVia =
  moveTaskEnv === undefined
    ? ` (skipped: ${cliVersion || cli} has no start-message-move-task, even with the models)`
    : moveTaskEnv.AWS_DATA_PATH
      ? ' (the CLI predates the API: operations from test/support/awscli-models)'
      : '';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  if (installed) aws = await openConformanceEndpoint();
});
afterAll(async () => {
  if (installed) await aws.close();
});

/** Runs the CLI without blocking this process (the endpoint may be in it) and parses its JSON output. */
function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const env = {
    ...process.env,
    ...extraEnv,
    AWS_PAGER: '',
    AWS_DEFAULT_REGION: aws.region,
    ...(againstLocalAws ? { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SESSION_TOKEN: '' } : {}),
  };
  return new Promise((resolve, reject) => {
    execFile(
      cli,
      [...args, '--endpoint-url', aws.endpoint, '--output', 'json'],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${cli} ${args.join(' ')} failed: ${stderr || error.message}`));
        resolve(stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {});
      },
    );
  });
}

describeWithCli(`the aws CLI${notInstalled}`, () => {
  it(
    `aws sts get-caller-identity names the account of the queue URLs (${cliVersion})`,
    async () => {
      const identity = await run(['sts', 'get-caller-identity']);
      expect(identity).toMatchObject({ Account: expect.stringMatching(/^\d{12}$/), Arn: expect.any(String) });
      const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('cli-whose') }));
      expect(new URL(QueueUrl!).pathname.split('/')[1]).toBe(identity.Account);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    `aws sqs list-queue-tags and tag-queue (${cliVersion})`,
    async () => {
      const { QueueUrl } = await aws.sqs.send(
        new CreateQueueCommand({ QueueName: aws.uniqueName('cli-tags'), tags: { team: 'shop' } }),
      );
      expect(await run(['sqs', 'list-queue-tags', '--queue-url', QueueUrl!])).toEqual({ Tags: { team: 'shop' } });
      await run(['sqs', 'tag-queue', '--queue-url', QueueUrl!, '--tags', 'env=dev']);
      expect(await run(['sqs', 'list-queue-tags', '--queue-url', QueueUrl!])).toEqual({
        Tags: { team: 'shop', env: 'dev' },
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  itWithMoveTasks(
    `aws sqs start-message-move-task redrives a dead-letter queue (${cliVersion})${moveTasksVia}`,
    async () => {
      const dlqName = aws.uniqueName('cli-dlq');
      const { QueueUrl: dlqUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: dlqName }));
      const { Attributes } = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
      );
      const dlqArn = Attributes!.QueueArn!;
      const { QueueUrl: sourceUrl } = await aws.sqs.send(
        new CreateQueueCommand({
          QueueName: aws.uniqueName('cli-source'),
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
        }),
      );
      const source = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ['QueueArn'] }),
      );
      await aws.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'parked' }));
      const started = await run(
        ['sqs', 'start-message-move-task', '--source-arn', dlqArn, '--destination-arn', source.Attributes!.QueueArn!],
        moveTaskEnv,
      );
      expect(started.TaskHandle).toEqual(expect.any(String));
      await eventually(
        async () => {
          const { Results } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
          return Results?.[0]?.Status === 'COMPLETED' ? true : undefined;
        },
        againstLocalAws ? 5_000 : 120_000,
        100,
      );
      const listed = await run(['sqs', 'list-message-move-tasks', '--source-arn', dlqArn], moveTaskEnv);
      expect(listed.Results).toEqual([
        expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1 }),
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
