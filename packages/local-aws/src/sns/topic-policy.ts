// A topic's access policy: the default one SNS gives every topic, and the statements AddPermission adds to it.
import { accountPrincipal } from '../policy-statements';
import type { PolicyStatement } from '../policy-statements';
import { ACCOUNT_ID } from '../request-context';

/** The statement AddPermission adds: the accounts may call the SNS actions named (as `SNS:<Action>`). */
export function topicPermissionStatement(
  topicArn: string,
  label: string,
  accountIds: readonly string[],
  actions: readonly string[],
): PolicyStatement {
  return {
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: accountIds.map(accountPrincipal) },
    Action: actions.map((action) => `SNS:${action}`),
    Resource: topicArn,
  };
}

/** The policy every new topic has: the owning account may do everything with it. */
export function defaultTopicPolicy(topicArn: string): { Version: string; Id: string; Statement: unknown[] } {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT_ID } },
      },
    ],
  };
}
