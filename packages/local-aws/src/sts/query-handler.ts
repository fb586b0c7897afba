// STS over the query protocol, just what clients ask before anything else: GetCallerIdentity (the aws CLI's
// `aws sts get-caller-identity`, and SDK set-ups that check their credentials at start-up).
import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';
import { answerQueryAction, renderXml } from '../query-protocol';
import { ACCOUNT_ID } from '../request-context';
import type { RequestContext } from '../request-context';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const STS_ACTIONS = new Set(['GetCallerIdentity']);

export function isStsAction(action: string): boolean {
  return STS_ACTIONS.has(action);
}

export function handleStsQuery(action: string, ctx: RequestContext, res: ServerResponse): Promise<void> {
  return answerQueryAction(res, STS_NAMESPACE, action, ctx.requestId, () => {
    if (!isStsAction(action)) {
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
    // Any credentials are accepted, so every caller is the account's root user; its user id is the account id.
    return renderXml('GetCallerIdentityResult', {
      UserId: ACCOUNT_ID,
      Account: ACCOUNT_ID,
      Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    });
  });
}
