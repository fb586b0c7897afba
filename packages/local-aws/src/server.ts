// The one HTTP endpoint: the local admin API, then every other request routed by its shape to SQS (JSON or
// query protocol), SNS or STS (query protocol). Each AWS request gets an AWS-shaped answer, errors included.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest, isAdminPath } from './admin-api';
import type { AdminAccess } from './admin-api';
import { AwsError } from './aws-error';
import { systemClock, type Clock } from '@shop/clock';
import { scheduleInBackground, type BackgroundTimer } from './background-timer';
import { answerQueryError, parseQueryForm } from './query-protocol';
import { DEFAULT_REGION, credentialScope, ACCOUNT_ID } from './request-context';
import type { RequestContext } from './request-context';
import { handleSnsQuery, isSnsAction, SNS_NAMESPACE } from './sns/query-handler';
import { SnsService } from './sns/sns-service';
import { handleJsonRequest } from './sqs/json-protocol';
import { handleSqsQuery, SQS_NAMESPACE } from './sqs/query-protocol';
import { SqsService } from './sqs/sqs-service';
import { RequestCounts } from './request-counts';
import { readStateFile, writeStateFile } from './state-file';
import { handleStsQuery, isStsAction, STS_NAMESPACE } from './sts/query-handler';

export interface LocalAwsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4566 (LocalStack's port); 0 lets the OS choose, as tests should. */
  port?: number;
  clock?: Clock;
  /**
   * A JSON snapshot of topics, subscriptions, queues and messages: restored on start when the file exists,
   * written when the endpoint closes. Without it everything lives in memory only.
   */
  stateFile?: string;
  /** Who may call `/_local/state` and `/_local/reset`: `loopback` (default) or `any`. Health is always open. */
  adminAccess?: AdminAccess;
}

export interface LocalAws {
  /** `http://host:port`, ready for the SDK's `endpoint` option. */
  endpoint: string;
  port: number;
  /** Stops serving, and writes the state file when one is configured. */
  close(): Promise<void>;
}

const RETENTION_SWEEP_MS = 10_000;

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const sqs = new SqsService(clock);
  const sns = new SnsService(sqs, clock);
  if (options.stateFile) {
    const snapshot = await readStateFile(options.stateFile);
    if (snapshot) {
      sqs.restore(snapshot.sqs);
      sns.restore(snapshot.sns);
    }
  }
  const requests = new RequestCounts();
  const admin = { sqs, sns, requests, access: options.adminAccess ?? 'loopback' };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug, never bad input: bad input is an AwsError answered by the protocol handlers.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`InternalFailure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local-aws');
    if (isAdminPath(url.pathname)) return handleAdminRequest(admin, req, res, url);
    const body = await readBody(req);
    const ctx = contextFor(req, res);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' || isJsonContent(req)) {
      requests.count('sqs', typeof target === 'string' ? target.replace(/^AmazonSQS\./, '') : undefined);
      return handleJsonRequest(sqs, typeof target === 'string' ? target : undefined, body, ctx, res);
    }
    // Everything else is a query-protocol request: a form body, or a GET with the parameters in the URL.
    const form = QUERY_TEXT.decode(body);
    const { action, params } = parseQueryForm(form, url.search);
    const service = queryService(action, ctx.service);
    requests.count(service, action);
    if (!action) {
      const missing = new AwsError('MissingAction', 'The request is missing an action or a required parameter.');
      return answerQueryError(res, QUERY_NAMESPACES[service], missing, ctx.requestId);
    }
    if (service === 'sts') return handleStsQuery(action, ctx, res);
    if (service === 'sns') return handleSnsQuery(sns, action, params, ctx, res);
    return handleSqsQuery(sqs, action, params, url.pathname, ctx, res);
  }

  let sweep: BackgroundTimer | undefined;
  const scheduleSweep = () => {
    sweep = scheduleInBackground(clock, RETENTION_SWEEP_MS, () => {
      sqs.expireRetained();
      scheduleSweep();
    });
  };
  scheduleSweep();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => resolve());
  }).catch((error: unknown) => {
    sweep?.cancel();
    sqs.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    async close() {
      await closeServer(server, () => {
        sweep?.cancel();
        sqs.endLongPolls();
      });
      // Written once no request can change anything any more, and before the queues are released.
      if (options.stateFile) await writeStateFile(options.stateFile, { sqs: sqs.snapshot(), sns: sns.snapshot() });
      sqs.close();
    },
  };
}

type QueryService = 'sqs' | 'sns' | 'sts';

const QUERY_NAMESPACES: Record<QueryService, string> = {
  sqs: SQS_NAMESPACE,
  sns: SNS_NAMESPACE,
  sts: STS_NAMESPACE,
};

/** The query protocol serves three services; the action, or else the signing scope, names the one meant. */
function queryService(action: string | undefined, scope: string | undefined): QueryService {
  if (action && isStsAction(action)) return 'sts';
  if (action && isSnsAction(action)) return 'sns';
  if (scope === 'sts' || scope === 'sns') return scope;
  return 'sqs';
}

// A form body is ASCII with percent-encoded UTF-8; stray bytes become U+FFFD rather than failing the request.
const QUERY_TEXT = new TextDecoder('utf-8');

function isJsonContent(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').includes('application/x-amz-json');
}

function contextFor(req: IncomingMessage, res: ServerResponse): RequestContext {
  const scope = credentialScope(req.headers);
  let controller: AbortController | undefined;
  return {
    region: scope.region ?? DEFAULT_REGION,
    service: scope.service,
    accessKeyId: scope.accessKeyId ?? ACCOUNT_ID,
    origin: `http://${req.headers.host ?? 'localhost:4566'}`,
    requestId: randomUUID(),
    // Created on first use (only long polls need it): aborting costs a DOMException per request otherwise.
    get signal() {
      if (!controller) {
        const created = new AbortController();
        res.once('close', () => created.abort());
        controller = created;
      }
      return controller.signal;
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Stops accepting, ends pending long polls (so their sockets finish), then drops idle keep-alive connections. */
function closeServer(server: Server, stopWaiting: () => void): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    stopWaiting();
    server.closeIdleConnections();
    setImmediate(() => server.closeAllConnections());
  });
}
