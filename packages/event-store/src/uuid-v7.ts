/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits — ids that sort by creation time, which keeps
 * the event_id index append-mostly. Node 20 has no built-in v7 generator, and this is all it takes.
 */
import { randomBytes } from 'node:crypto';

export function uuidv7(nowMs: number = Date.now(), random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
