/**
 * Builds the console's Fastify app: the page (static files built by Vite), the storefront's way to the gateway,
 * the live stream and the operator actions. Tests call this and use `app.inject()`; main.ts listens.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { AwsClients } from '@shop/messaging';
import { createApp, signServiceToken, type CreateAppOptions, type ServiceApp } from '@shop/service-kit';
import type { ServiceName } from '../shared/console-api';
import { FaultSwitches } from './fault-switches';
import { LiveUpdates } from './live-updates';
import { MessageDropSwitch } from './message-drop';
import { OperatorClient } from './operator-client';
import { QueueWatcher } from './queues';
import { registerFaultRoutes } from './routes/faults';
import { registerLiveRoutes } from './routes/live';
import { registerQueueRoutes } from './routes/queues';
import { registerSagaRoutes } from './routes/sagas';
import { registerScenarioRoutes } from './routes/scenarios';
import { registerStorefrontRoutes } from './routes/storefront';
import { registerTraceRoutes, type TraceSettings } from './routes/traces';
import { refuseForeignPages } from './same-origin';
import type { ScenarioRunner } from './scenario-runner';
import { takeSnapshot } from './snapshot';
import { systemMap } from './system-map';

const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  // Bars of the trace waterfall and the service map are positioned with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleAppDeps {
  logger?: CreateAppOptions['logger'];
  /** JWT_SECRET, shared with the services: the console signs its own service token with it. */
  jwtSecret: string;
  /** Base URLs of the services (the gateway's is where the storefront goes). */
  urls: Record<ServiceName, string>;
  aws: AwsClients;
  /** `local-aws` or `LocalStack`: how the service map labels the broker. */
  brokerLabel: string;
  traces: TraceSettings;
  scenarios: ScenarioRunner;
  refreshMs: number;
  allowedHosts: readonly string[];
  /** The built page; default `dist/web` next to the compiled server. */
  webRoot?: string;
}

export async function buildConsoleApp(deps: ConsoleAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'console',
    description: "The learner's console: the storefront, saga timelines, breakers, queues, traces and fault switches.",
    logger: deps.logger,
    // The console calls the services in its own name, so it needs the shared signing key and the claims every
    // service token carries — registerAuthentication gives both. Its own routes serve the page on this machine
    // (refuseForeignPages below): none of them takes a token, hence every path is public.
    authentication: { secret: deps.jwtSecret, publicPaths: ['/'] },
  });
  refuseForeignPages(app, deps.allowedHosts);

  const operator = new OperatorClient({
    urls: deps.urls,
    authorization: () => `Bearer ${signServiceToken(app, 'console')}`,
  });
  const queues = new QueueWatcher(deps.aws.sqs);
  const faults = new FaultSwitches(operator, new MessageDropSwitch(deps.aws));
  const live = new LiveUpdates({
    refreshMs: deps.refreshMs,
    takeSnapshot: () =>
      takeSnapshot({ operator, urls: deps.urls, queues, faults, runningScenario: () => deps.scenarios.running }),
    onError: (error) => app.log.warn({ err: error }, 'snapshot failed'),
  });
  // Open event streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => live.close());

  registerLiveRoutes(app, live, systemMap(deps.brokerLabel));
  registerStorefrontRoutes(app, deps.urls.gateway);
  registerSagaRoutes(app, operator, live);
  registerQueueRoutes(app, deps.aws.sqs, queues, live);
  registerTraceRoutes(app, deps.traces);
  registerFaultRoutes(app, faults, live);
  registerScenarioRoutes(app, deps.scenarios, live);

  const webRoot = deps.webRoot ?? join(__dirname, '..', 'web');
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
      // The page loads nothing from elsewhere (no CDN, no web fonts); the policy makes the browser hold it to that.
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) reply.header('content-security-policy', PAGE_POLICY);
      },
    });
  } else {
    app.log.warn({ webRoot }, 'the page is not built (pnpm --filter @shop/console build): serving the API only');
  }
  return app;
}
