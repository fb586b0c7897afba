// AddPermission for a queue: the statement that lets other accounts call the SQS actions a queue can share.
import { AwsError } from '../aws-error';
import { accountPrincipal } from '../policy-statements';
import type { PolicyStatement } from '../policy-statements';
import { invalidParameterValue, requiredString, requiredStringList } from './validate';

/** The actions AddPermission can grant (the owner-only ones, like SetQueueAttributes, cannot be shared). */
const SHAREABLE_ACTIONS = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
]);
/** "An Amazon SQS policy can have a maximum of seven actions per statement." */
const MAX_ACTIONS = 7;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The statement AddPermission adds, from its Label, AWSAccountIds and Actions. */
export function queuePermissionStatement(queueArn: string, input: Record<string, unknown>): PolicyStatement {
  const label = requiredString(input, 'Label');
  if (!LABEL.test(label)) {
    throw invalidParameterValue(
      `Value ${label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`,
    );
  }
  const accounts = requiredStringList(input, 'AWSAccountIds');
  const actions = requiredStringList(input, 'Actions');
  for (const account of accounts) {
    if (!ACCOUNT_ID.test(account)) {
      throw invalidParameterValue(`Value ${account} for parameter AWSAccountId is invalid. Reason: not an account id.`);
    }
  }
  if (actions.length > MAX_ACTIONS) {
    throw new AwsError('OverLimit', `${actions.length} actions were found, maximum allowed is ${MAX_ACTIONS}.`, {
      status: 403,
    });
  }
  for (const action of actions) {
    if (!SHAREABLE_ACTIONS.has(action)) {
      throw invalidParameterValue(
        `Value SQS:${action} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`,
      );
    }
  }
  const principals = accounts.map(accountPrincipal);
  const granted = actions.map((action) => `SQS:${action}`);
  return {
    Sid: label,
    Effect: 'Allow',
    // AWS writes a single principal or action as a string and several as a list.
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: granted.length === 1 ? granted[0] : granted,
    Resource: queueArn,
  };
}

export function emptyQueuePolicy(queueArn: string): { Version: string; Id: string; Statement: unknown[] } {
  return { Version: '2012-10-17', Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
}
