// The MessageAttributes of a Publish request, validated with SNS's errors and turned into the shared model.
import { AwsError } from '../aws-error';
import type { MessageAttributes } from '../sqs/md5';

/** SNS attribute types: String, String.Array (a JSON array), Number, Binary (base64 on the wire). */
export function parsePublishAttributes(raw: unknown): MessageAttributes {
  const attributes: MessageAttributes = {};
  if (!raw || typeof raw !== 'object') return attributes;
  for (const [name, value] of Object.entries(raw as Record<string, Record<string, unknown>>)) {
    const dataType = value?.DataType;
    if (typeof dataType !== 'string' || dataType === '') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' must contain non-empty message attribute type.`,
        { queryCode: 'ParameterValueInvalid' },
      );
    }
    const base = dataType.split('.')[0];
    if (base === 'Binary') {
      if (typeof value.BinaryValue !== 'string' && !Buffer.isBuffer(value.BinaryValue)) {
        throw new AwsError(
          'InvalidParameterValueException',
          `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
          { queryCode: 'ParameterValueInvalid' },
        );
      }
      const bytes = Buffer.isBuffer(value.BinaryValue)
        ? value.BinaryValue
        : Buffer.from(value.BinaryValue as string, 'base64');
      attributes[name] = { DataType: dataType, BinaryValue: bytes };
      continue;
    }
    const stringValue = value.StringValue;
    if (typeof stringValue !== 'string' || stringValue === '') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        { queryCode: 'ParameterValueInvalid' },
      );
    }
    if (base === 'Number' && !Number.isFinite(Number(stringValue))) {
      throw new AwsError(
        'InvalidParameterValueException',
        `Could not cast message attribute '${name}' value to number.`,
        { queryCode: 'ParameterValueInvalid' },
      );
    }
    if (dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stringValue);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) {
        throw new AwsError(
          'InvalidParameterValueException',
          `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
          { queryCode: 'ParameterValueInvalid' },
        );
      }
    } else if (base !== 'String' && base !== 'Number') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
        { queryCode: 'ParameterValueInvalid' },
      );
    }
    attributes[name] = { DataType: dataType, StringValue: stringValue };
  }
  return attributes;
}
