/** Builds the user service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Database } from '@shop/db';
import { createApp, type CreateAppOptions, type ServiceApp } from '@shop/service-kit';
import { registerUserRoutes } from './routes/users';
import { UserStore } from './user-store';

export interface UserAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
}

export async function buildApp({ db, logger }: UserAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'user-service',
    description: 'Users, their profiles and credentials.',
    logger,
    readiness: { database: () => db.ping() },
  });
  registerUserRoutes(app, new UserStore(db));
  return app;
}
