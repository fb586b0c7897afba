// Checks on a message before it is queued: body characters, attributes, total size — with SQS's error wording.
import { AwsError } from '../aws-error';
import type { MessageAttributeValue, MessageAttributes } from './md5';
import { invalidParameterValue, missingParameter } from './validate';

const MAX_ATTRIBUTES = 10;
// XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (lone surrogates excluded).
// eslint-disable-next-line no-control-regex -- the allowed set is defined by control characters
const INVALID_BODY_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function validateBody(body: unknown): string {
  if (body === undefined || body === null || body === '') throw missingParameter('MessageBody');
  if (typeof body !== 'string')
    throw invalidParameterValue('Value for parameter MessageBody is invalid. Reason: must be a string.');
  if (INVALID_BODY_CHARACTER.test(body)) {
    throw new AwsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  return body;
}

/** Checks the MessageAttributes of a request (of any shape, as sent) and returns them typed. */
export function validateMessageAttributes(raw: unknown): MessageAttributes {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidParameterValue('Value for parameter MessageAttributes is invalid. Reason: must be a map.');
  }
  const attributes = raw as Record<string, Partial<Record<keyof MessageAttributeValue, unknown>> | null>;
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  for (const name of names) {
    const value = attributes[name];
    if (!/^[A-Za-z0-9_\-.]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw invalidParameterValue(`Message attribute name '${name}' is invalid.`);
    }
    if (/^(aws|amazon)\./i.test(name)) {
      throw invalidParameterValue(`Message attribute name '${name}' is reserved for use by Amazon.`);
    }
    const dataType = value?.DataType;
    if (typeof dataType !== 'string' || !dataType)
      throw invalidParameterValue(`The message attribute '${name}' must contain a non-empty message attribute type.`);
    const baseType = dataType.split('.')[0];
    if (baseType === 'Binary') {
      if (!Buffer.isBuffer(value?.BinaryValue)) {
        throw invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      }
      continue;
    }
    if (baseType !== 'String' && baseType !== 'Number') {
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (typeof value?.StringValue !== 'string' || value.StringValue === '') {
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${baseType}'.`,
      );
    }
    if (baseType === 'Number' && !Number.isFinite(Number(value.StringValue))) {
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
  }
  return attributes as MessageAttributes;
}

/**
 * The size SQS counts against MaximumMessageSize: body plus every attribute's name, type and value. It takes the
 * request's values as sent (a whole batch is measured before its entries are validated one by one).
 */
export function messageSize(body: unknown, attributes: unknown): number {
  const bytes = (value: unknown) =>
    Buffer.isBuffer(value) ? value.length : typeof value === 'string' ? Buffer.byteLength(value) : 0;
  let size = bytes(body);
  if (typeof attributes !== 'object' || attributes === null) return size;
  for (const [name, value] of Object.entries(attributes as Record<string, Record<string, unknown> | null>)) {
    size += bytes(name) + bytes(value?.DataType) + bytes(value?.BinaryValue) + bytes(value?.StringValue);
  }
  return size;
}
