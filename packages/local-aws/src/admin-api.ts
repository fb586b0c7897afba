// The endpoint's own HTTP API beside the AWS protocols: health (also at LocalStack's path, so healthchecks and
// tools written for LocalStack work unchanged), and for tests and operators the state view, the request counts and
// reset.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ACCOUNT_ID, DEFAULT_REGION } from './request-context';
import type { RequestCounts } from './request-counts';
import type { SnsService } from './sns/sns-service';
import type { SqsService } from './sqs/sqs-service';

/** Who may call the admin routes (everything but health): the same machine only, unless opened on purpose. */
export type AdminAccess = 'loopback' | 'any';

export interface AdminApi {
  sqs: SqsService;
  sns: SnsService;
  requests: RequestCounts;
  access: AdminAccess;
}

const EMULATED_SERVICES = ['sqs', 'sns', 'sts'] as const;
const HEALTH_PATHS = new Set(['/_local/health', '/_localstack/health']);

/** Whether the request is for this API (`/_local/…`, `/_localstack/…`) rather than for an AWS service. */
export function isAdminPath(path: string): boolean {
  return path.startsWith('/_local/') || path.startsWith('/_localstack/');
}

export function handleAdminRequest(api: AdminApi, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (HEALTH_PATHS.has(path)) {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    return json(res, 200, path === '/_localstack/health' ? localStackHealth() : localHealth(), method === 'HEAD');
  }
  if (path !== '/_local/state' && path !== '/_local/requests' && path !== '/_local/reset') {
    return problem(res, 404, 'not-found', 'No such local-aws route', `${path} is not a local-aws route.`);
  }
  if (api.access === 'loopback' && !isLoopback(req.socket.remoteAddress)) {
    // Reset wipes every queue, and state shows what is in flight: not for anyone who can reach the port.
    return problem(
      res,
      403,
      'admin-loopback-only',
      'Admin routes answer loopback callers only',
      `${path} is served to callers on this machine only; start local-aws with --admin-from-anywhere ` +
        '(LOCAL_AWS_ADMIN=any) to allow others.',
    );
  }
  if (path === '/_local/state') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return json(res, 200, { accountId: ACCOUNT_ID, ...api.sns.state(), queues: api.sqs.state() });
  }
  if (path === '/_local/requests') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET');
    return json(res, 200, api.requests.snapshot());
  }
  if (method !== 'POST') return methodNotAllowed(res, 'POST');
  return reset(api, url, res);
}

/**
 * `POST /_local/reset` forgets everything (topics, subscriptions, queues, messages, move tasks).
 * `?queue=<name|url|arn>` empties one queue (messages, FIFO deduplication ids, move tasks) and keeps its settings;
 * `?topic=<name|arn>` clears one topic's FIFO deduplication ids and keeps its subscriptions. `&region=` picks the
 * region of a bare name (default us-east-1).
 */
function reset(api: AdminApi, url: URL, res: ServerResponse): void {
  const queue = url.searchParams.get('queue');
  const topic = url.searchParams.get('topic');
  const region = url.searchParams.get('region') ?? DEFAULT_REGION;
  if (queue !== null && topic !== null) {
    return problem(res, 400, 'reset-scope', 'One scope per reset', 'Give either queue or topic, not both.');
  }
  if (queue !== null) {
    const arn = api.sqs.resetQueue(queue, region);
    if (!arn) return problem(res, 404, 'queue-not-found', 'No such queue', `No queue "${queue}" in ${region}.`);
    return json(res, 200, { reset: { queue: arn } });
  }
  if (topic !== null) {
    const arn = api.sns.resetTopic(topic, region);
    if (!arn) return problem(res, 404, 'topic-not-found', 'No such topic', `No topic "${topic}" in ${region}.`);
    return json(res, 200, { reset: { topic: arn } });
  }
  api.sns.reset();
  api.sqs.reset();
  json(res, 200, { reset: 'all' });
}

function localHealth(): unknown {
  return { status: 'ok', services: EMULATED_SERVICES };
}

/** LocalStack's shape: every service with its state, plus edition and version. */
function localStackHealth(): unknown {
  return {
    services: Object.fromEntries(EMULATED_SERVICES.map((name) => [name, 'running'])),
    edition: 'local-aws',
    version: packageVersion(),
  };
}

let version: string | undefined;
function packageVersion(): string {
  if (version === undefined) {
    try {
      const manifest = readFileSync(join(__dirname, '..', 'package.json'), 'utf8');
      version = (JSON.parse(manifest) as { version?: string }).version ?? 'unknown';
    } catch {
      version = 'unknown'; // run from another layout (e.g. the benchmark build)
    }
  }
  return version;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function json(res: ServerResponse, status: number, payload: unknown, headOnly = false): void {
  const text = JSON.stringify(payload, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(headOnly ? undefined : text);
}

function methodNotAllowed(res: ServerResponse, allowed: string): void {
  res.setHeader('allow', allowed);
  problem(res, 405, 'method-not-allowed', 'Method not allowed', `This route answers ${allowed}.`);
}

/** Errors of this (non-AWS) API are RFC 9457 problem details, like every other HTTP API in the repository. */
function problem(res: ServerResponse, status: number, type: string, title: string, detail: string): void {
  const text = JSON.stringify({ type: `https://resilient-shop.dev/problems/local-aws-${type}`, title, status, detail });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
