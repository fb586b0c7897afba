/** The live stream (Server-Sent Events) every view renders from, and the static map of the system. */
import type { ServiceApp } from '@shop/service-kit';
import type { SystemMap } from '../../shared/console-api';
import type { LiveUpdates } from '../live-updates';

export function registerLiveRoutes(app: ServiceApp, live: LiveUpdates, map: SystemMap): void {
  // Snapshots and scenario output as Server-Sent Events.
  app.get('/api/events', (_request, reply) => live.attach(reply));
  app.get('/api/map', async () => map);
}
