// Conformance: STS GetCallerIdentity, the call the aws CLI and many SDK set-ups make before anything else.
// API_GetCallerIdentity: "Returns details about the IAM user or role whose credentials are used to call the
// operation" — UserId, Account ("The Amazon Web Services account ID number of the account that owns or contains
// the calling entity") and Arn.
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { openConformanceEndpoint, queryRequest, xmlText } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

describe('GetCallerIdentity', () => {
  it('names the account that owns the queues this caller creates', async () => {
    const identity = await aws.sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toMatch(/^\d{12}$/);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${identity.Account}:`));
    expect(identity.UserId).toEqual(expect.any(String));
    // Queue URLs carry the owning account: https://sqs.<region>.amazonaws.com/<account>/<name>.
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('whose') }));
    expect(new URL(QueueUrl!).pathname.split('/')[1]).toBe(identity.Account);
  });

  it('answers an STS action it does not know with an STS query error', async () => {
    const response = await queryRequest(aws, 'sts', { Action: 'NoSuchStsAction' });
    expect(response.status).toBe(400);
    expect(xmlText(response.text, 'Code')).toMatch(/InvalidAction/);
  });
});
