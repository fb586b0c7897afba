// An SQS body is either the event itself (raw delivery) or SNS's Notification wrapper around it; accept both.

export type DecodedBody =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function decodeMessageBody(body: string | undefined): DecodedBody {
  if (body === undefined) return { ok: false, error: 'message has no body' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `body is not JSON: ${(error as Error).message}` };
  }
  if (isSnsNotification(parsed)) {
    try {
      return { ok: true, value: JSON.parse(parsed.Message) };
    } catch (error) {
      return { ok: false, error: `SNS Message is not JSON: ${(error as Error).message}` };
    }
  }
  return { ok: true, value: parsed };
}

function isSnsNotification(value: unknown): value is { Type: 'Notification'; Message: string } {
  const candidate = value as { Type?: unknown; Message?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.Type === 'Notification' &&
    typeof candidate.Message === 'string'
  );
}
