// Cost-allocation tags as SQS and SNS both define them: at most 50 per resource, keys of 1–128 characters,
// values of up to 256, and the `aws:` prefix reserved. Each service words its own error from the reason.

export const MAX_TAGS = 50;

/** Why a set of tags cannot be stored, or undefined when it can. */
export function tagProblem(tags: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > 128) return `Tag keys must be between 1 and 128 characters long: "${key}".`;
    if (key.toLowerCase().startsWith('aws:')) return `Tag keys beginning with "aws:" are reserved: "${key}".`;
    if (typeof value !== 'string') return `The value of tag "${key}" must be a string.`;
    if (value.length > 256) return `Tag values can be up to 256 characters long: the value of "${key}" is longer.`;
  }
  return undefined;
}

/** The tags after adding `added` (a key given again overwrites its value), or the reason they are refused. */
export function mergedTags(
  current: Record<string, string>,
  added: Record<string, string>,
): { tags: Record<string, string> } | { problem: string; tooMany: boolean } {
  const problem = tagProblem(added);
  if (problem) return { problem, tooMany: false };
  const tags = { ...current, ...added };
  if (Object.keys(tags).length > MAX_TAGS) {
    return { problem: `A resource can have at most ${MAX_TAGS} tags.`, tooMany: true };
  }
  return { tags };
}

export function withoutTags(current: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const tags = { ...current };
  for (const key of keys) delete tags[key];
  return tags;
}
