/**
 * `createApp` builds the Fastify instance every service starts from (the "service defaults" of eShop):
 * TypeBox type provider, request ids, problem+json errors, health probes and OpenAPI with Swagger UI at /docs.
 * The service then registers its own routes on it. No port is opened here — tests use `app.inject()`.
 */
import swagger from '@fastify/swagger';
import { createMetricsRegistry, registerHttpMetrics, registerMetricsRoute, type Registry } from '@shop/telemetry';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerAuthentication, type Authentication } from './authentication';
import type { DomainProblem } from './domain-problems';
import { registerErrorHandling, sendProblem, toProblem } from './error-handler';
import { registerFaultInjection, type FaultInjectionOptions } from './fault-injection';
import { registerHealthRoutes, type ReadinessCheck } from './health';
import { loggerOptions } from './logger';
import { ProblemSchema } from './problem';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { buildValidatorCompiler } from './validation';

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's Prometheus registry (served at /metrics): add domain metrics here. */
    metrics: Registry;
  }
}

export interface CreateAppOptions {
  /** Service name, e.g. `user-service`: in logs, OpenAPI and traces. */
  name: string;
  version?: string;
  description?: string;
  /** Named readiness checks, e.g. `{ database: () => db.ping() }`. */
  readiness?: Record<string, ReadinessCheck>;
  /** `false` for silent tests, a level string, or a ready pino instance. */
  logger?: false | string | FastifyBaseLogger;
  /** Largest accepted request body; anything bigger is a 413. */
  bodyLimitBytes?: number;
  /**
   * How callers are identified: `{ secret }` verifies a JWT on every non-public route (authentication.ts). Omitted,
   * nobody is identified and every caller guard refuses (caller-guards.ts); tests that are not about authorisation
   * say `trustEveryCallerForTests()`.
   */
  authentication?: Authentication;
  /** The service's domain errors and the problems that answer them (domain-problems.ts). */
  problems?: readonly DomainProblem[];
  /**
   * Serve `GET /metrics` on the app's own port (default true: internal services are scraped there). A service whose
   * port is public (the gateway) passes false and serves the registry on an internal listener (createMetricsServer).
   */
  metricsRoute?: boolean;
  /** `true` (e.g. `FAULT_INJECTION=on`) adds the `/admin/faults` routes; off by default. */
  faultInjection?: boolean | FaultInjectionOptions;
}

export async function createApp(options: CreateAppOptions): Promise<ServiceApp> {
  const { name, logger = 'info' } = options;
  const common = {
    bodyLimit: options.bodyLimitBytes ?? 100 * 1024,
    // The header is read by requestIdOf, which adopts it only when it is safe to (Fastify's own reading would not check).
    requestIdHeader: false as const,
    genReqId: requestIdOf,
    // Without this a client that never finishes its request would hold a socket forever.
    requestTimeout: 30_000,
    // The router's own refusals (a path parameter over maxParamLength → 414, a malformed URL → 400) happen before
    // any error handler exists for the request; without this they answer Fastify's plain JSON, not problem+json.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, toProblem(error, request)),
    schemaController: { compilersFactory: { buildValidator: buildValidatorCompiler } },
  };
  const fastify =
    typeof logger === 'object'
      ? Fastify({ ...common, loggerInstance: logger })
      : Fastify({ ...common, logger: logger === false ? false : loggerOptions(name, logger) });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  const metrics = createMetricsRegistry({ service: name });
  app.decorate('metrics', metrics);
  registerHttpMetrics(app, metrics);
  if (options.metricsRoute ?? true) registerMetricsRoute(app, metrics);
  app.addSchema(ProblemSchema);
  // Once shutdown starts, responses to requests still in flight tell keep-alive clients to hang up; otherwise
  // their idle connections would hold `app.close()` open until the grace period runs out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (closing) reply.header('connection', 'close');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: name, version: options.version ?? '0.1.0', description: options.description },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerErrorHandling(app, options.problems);
  if (options.authentication) await registerAuthentication(app, options.authentication);
  registerHealthRoutes(app, options.readiness ?? {});
  if (options.faultInjection) {
    await registerFaultInjection(app, typeof options.faultInjection === 'object' ? options.faultInjection : {});
  }
  return app;
}
