// The one HTTP endpoint: routes each request to SQS (JSON or query protocol) or SNS (query protocol) by its shape.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from './clock';
import type { Clock, TimerHandle } from './clock';
import { DEFAULT_REGION, credentialScope, ACCOUNT_ID } from './request-context';
import type { RequestContext } from './request-context';
import { parseQueryForm } from './query-protocol';
import { handleSnsQuery, isSnsAction } from './sns/query-handler';
import { SnsService } from './sns/sns-service';
import { SQS_TARGET_PREFIX, handleSqsJson } from './sqs/json-protocol';
import { handleSqsQuery } from './sqs/query-protocol';
import { SqsService } from './sqs/sqs-service';

export interface LocalAwsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4566 (LocalStack's port); 0 lets the OS choose, as tests should. */
  port?: number;
  clock?: Clock;
}

export interface LocalAws {
  /** `http://host:port`, ready for the SDK's `endpoint` option. */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const RETENTION_SWEEP_MS = 10_000;

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const sqs = new SqsService(clock);
  const sns = new SnsService(sqs, clock);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug, never bad input: bad input is an AwsError answered by the protocol handlers.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`InternalFailure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/_local/health')
      return json(res, 200, { status: 'ok', services: ['sqs', 'sns'] });
    if (req.method === 'GET' && path === '/_local/state')
      return json(res, 200, { accountId: ACCOUNT_ID, ...sns.state(), queues: sqs.state() });
    const body = await readBody(req);
    const ctx = contextFor(req, res);
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX)) {
      return handleSqsJson(sqs, target, body, ctx, res);
    }
    if (req.method === 'POST' && isQueryForm(req, body)) {
      const { action, params } = parseQueryForm(body);
      // The query protocol serves both services; the signing scope names which one the client meant.
      if (action && (ctx.service === 'sns' || isSnsAction(action)))
        return handleSnsQuery(sns, action, params, ctx, res);
      if (action) return handleSqsQuery(sqs, action, params, path, ctx, res);
    }
    json(res, 404, { message: `local-aws: no handler for ${req.method} ${path}` });
  }

  let sweep: TimerHandle | undefined;
  const scheduleSweep = () => {
    sweep = clock.schedule(RETENTION_SWEEP_MS, () => {
      sqs.expireRetained();
      scheduleSweep();
    });
  };
  scheduleSweep();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close: () =>
      closeServer(server, () => {
        sweep?.cancel();
        sqs.close();
      }),
  };
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

function isQueryForm(req: IncomingMessage, body: string): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.includes('x-www-form-urlencoded') || body.startsWith('Action=') || body.includes('&Action=');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Stops accepting, ends pending long polls (so their sockets finish), then drops idle keep-alive connections. */
function closeServer(server: Server, releaseState: () => void): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    releaseState();
    server.closeIdleConnections();
    setImmediate(() => server.closeAllConnections());
  });
}
