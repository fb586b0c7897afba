/** Builds the user service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Database } from '@shop/db';
import { outboxBacklog } from '@shop/messaging';
import {
  anyVerifiedCaller,
  createApp,
  onlyServices,
  registerOperatorRoutes,
  registerRoutesFor,
  type Authentication,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import { OWASP_SCRYPT_COST, type ScryptCost } from './domain/password';
import { registerCredentialRoutes } from './routes/credentials';
import { userProblems } from './routes/domain-problems';
import { registerOrderHistoryRoutes } from './routes/order-history';
import { registerProfileRoutes, registerUserAdministrationRoutes } from './routes/users';
import { userEventHooks } from './user-events';
import { UserStore } from './user-store';

export interface UserAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
  /** `{ secret }` in main.ts: registering, listing and credential checks are for services; profiles for their user. */
  authentication: Authentication;
  faultInjection?: boolean;
  /** Called after a change's transaction commits with events in the outbox: wake the relay. */
  onEventsCommitted?: () => void;
  /** scrypt cost for new hashes; default OWASP's (N=2^17). Tests pass a lower one explicitly to stay fast. */
  passwordCost?: ScryptCost;
}

export async function buildApp(deps: UserAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'user-service',
    description: 'Users, their profiles and credentials, and each customer’s order history.',
    logger: deps.logger,
    authentication: deps.authentication,
    problems: userProblems,
    faultInjection: deps.faultInjection,
    readiness: { database: () => deps.db.ping() },
  });
  const users = new UserStore(deps.db, { ...userEventHooks, afterCommit: deps.onEventsCommitted });
  const passwordCost = deps.passwordCost ?? OWASP_SCRYPT_COST;
  await registerRoutesFor(app, onlyServices, (services) => {
    registerUserAdministrationRoutes(services, users, passwordCost);
    registerCredentialRoutes(services, users, passwordCost);
  });
  await registerRoutesFor(app, anyVerifiedCaller, (callers) => {
    registerProfileRoutes(callers, users);
    registerOrderHistoryRoutes(callers, deps.db, users);
  });
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(deps.db) });
  return app;
}
