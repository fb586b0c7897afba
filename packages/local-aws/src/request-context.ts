// Who is calling and where: region and access key from the SigV4 credential scope, the origin for queue URLs.
import type { IncomingHttpHeaders } from 'node:http';

export const ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface RequestContext {
  region: string;
  /** Service named in the credential scope (`sqs`, `sns`), when the request is signed. */
  service: string | undefined;
  accessKeyId: string;
  /** `http://host:port` as the client addressed us, so queue URLs point back here. */
  origin: string;
  requestId: string;
  /** Aborted when the client goes away, so a long poll stops waiting for it. */
  signal: AbortSignal;
}

// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=..., Signature=...
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function credentialScope(headers: IncomingHttpHeaders): {
  accessKeyId?: string;
  region?: string;
  service?: string;
} {
  const match = CREDENTIAL.exec(headers.authorization ?? '');
  if (!match) return {};
  return { accessKeyId: match[1], region: match[2], service: match[3] };
}
