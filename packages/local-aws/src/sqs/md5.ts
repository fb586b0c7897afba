// The MD5 digests SQS returns with each message; the AWS SDK recomputes them and rejects a mismatch.
import { createHash } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Raw bytes (the protocols decode base64 before they reach the model). */
  BinaryValue?: Buffer;
  StringListValues?: string[];
  BinaryListValues?: Buffer[];
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

export function md5Hex(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;

/**
 * AWS's algorithm: for each attribute in name order, length-prefixed (4-byte big-endian) name and data type, one
 * transport byte (1 = String/Number, 2 = Binary), then the length-prefixed value; MD5 of the concatenation.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const pushWithLength = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const value = attributes[name];
    pushWithLength(Buffer.from(name, 'utf8'));
    pushWithLength(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      parts.push(Buffer.from([BINARY_TRANSPORT]));
      pushWithLength(value.BinaryValue);
    } else {
      parts.push(Buffer.from([STRING_TRANSPORT]));
      pushWithLength(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
