// AddPermission / RemovePermission for SQS and SNS: a labelled Allow statement added to, or taken out of, the
// resource's access policy (a JSON document), which is what GetQueueAttributes / GetTopicAttributes then show.

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: unknown[];
}

/** The policy with `statement` appended, or `undefined` when a statement with that label (Sid) exists already. */
export function policyWithStatement(
  policy: string | undefined,
  emptyPolicy: () => PolicyDocument,
  statement: PolicyStatement,
): string | undefined {
  const document = policy ? (JSON.parse(policy) as PolicyDocument) : emptyPolicy();
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (statements.some((existing) => sidOf(existing) === statement.Sid)) return undefined;
  return JSON.stringify({ ...document, Statement: [...statements, statement] });
}

/**
 * The policy without the statement labelled `sid`: `{ policy }` (undefined when no statement is left), or
 * `undefined` when no statement has that label.
 */
export function policyWithoutStatement(
  policy: string | undefined,
  sid: string,
): { policy: string | undefined } | undefined {
  if (!policy) return undefined;
  const document = JSON.parse(policy) as PolicyDocument;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const kept = statements.filter((statement) => sidOf(statement) !== sid);
  if (kept.length === statements.length) return undefined;
  return { policy: kept.length > 0 ? JSON.stringify({ ...document, Statement: kept }) : undefined };
}

/** `arn:aws:iam::<account>:root`, the principal AddPermission grants to for an account id. */
export function accountPrincipal(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

function sidOf(statement: unknown): unknown {
  return typeof statement === 'object' && statement !== null ? (statement as { Sid?: unknown }).Sid : undefined;
}
