// Checks on a message before it is queued: body characters, attributes, total size — with SQS's error wording.
import { AwsError } from '../aws-error';
import type { MessageAttributes } from './md5';
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

export function validateMessageAttributes(attributes: MessageAttributes): void {
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
    if (!dataType)
      throw invalidParameterValue(`The message attribute '${name}' must contain a non-empty message attribute type.`);
    const baseType = dataType.split('.')[0];
    if (baseType === 'Binary') {
      if (value.BinaryValue === undefined) {
        throw invalidParameterValue(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      }
      continue;
    }
    if (baseType !== 'String' && baseType !== 'Number') {
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringValue === undefined || value.StringValue === '') {
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${baseType}'.`,
      );
    }
    if (baseType === 'Number' && !Number.isFinite(Number(value.StringValue))) {
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
  }
}

/** The size SQS counts against MaximumMessageSize: body plus every attribute's name, type and value. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size += value.BinaryValue ? value.BinaryValue.length : Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}
