// SNS and SQS clients configured the same way everywhere: AWS_ENDPOINT_URL / AWS_REGION, dummy keys for local-aws.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsClients {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

export interface AwsClientOptions {
  /** e.g. http://127.0.0.1:4566 for local-aws or LocalStack. Default: `AWS_ENDPOINT_URL`, else real AWS. */
  readonly endpoint?: string;
  /** Default: `AWS_REGION`, else us-east-1. */
  readonly region?: string;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  // An emulator accepts any keys; without this the SDK would fail looking for real ones.
  const credentials =
    endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
  const config = { region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
  return { sns: new SNSClient(config), sqs: new SQSClient(config) };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.sns.destroy();
  clients.sqs.destroy();
}
