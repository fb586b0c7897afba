// A subscription's attributes, validated together so FilterPolicy is checked against the FilterPolicyScope given
// in the same request, whichever comes first.
import { invalidParameter } from './sns-errors';
import { parseFilterPolicy, parseFilterPolicyScope } from './filter-policy';
import type { FilterPolicy } from './filter-policy';

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
]);

/**
 * The attributes after `changes` (an empty value removes one) and the filter policy they define; throws
 * InvalidParameter for an unknown attribute, a bad value or an invalid filter policy.
 */
export function changedSubscriptionAttributes(
  current: Record<string, string>,
  changes: Record<string, string>,
): { attributes: Record<string, string>; filter: FilterPolicy | undefined } {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(`Attributes Reason: Unknown attribute ${name}`);
    if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') {
      throw invalidParameter(`Attributes Reason: RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
    }
    if (name === 'RedrivePolicy' && value !== '') validateRedrivePolicy(value);
    if (value === '') delete next[name];
    else next[name] = value;
  }
  const scope = parseFilterPolicyScope(next.FilterPolicyScope);
  return { attributes: next, filter: next.FilterPolicy ? parseFilterPolicy(next.FilterPolicy, scope) : undefined };
}

/** The dead-letter queue of a subscription's RedrivePolicy (already validated). */
export function deadLetterTargetOf(attributes: Record<string, string>): string | undefined {
  if (!attributes.RedrivePolicy) return undefined;
  return (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
}

function validateRedrivePolicy(value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON.');
  }
  const target =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).deadLetterTargetArn : undefined;
  if (typeof target !== 'string' || !target.startsWith('arn:aws:sqs:')) {
    throw invalidParameter('RedrivePolicy: deadLetterTargetArn is missing or not an SQS queue ARN');
  }
}
