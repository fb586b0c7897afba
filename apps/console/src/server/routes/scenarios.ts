/** The demo's scenarios: listed, and started from the page; their narration arrives on the live stream. */
import { HttpProblem, Type, type ServiceApp } from '@shop/service-kit';
import type { ScenarioResult } from '../../shared/console-api';
import type { LiveUpdates } from '../live-updates';
import { ScenarioBusyError, ScenarioUnavailableError, type ScenarioRunner } from '../scenario-runner';

export function registerScenarioRoutes(app: ServiceApp, runner: ScenarioRunner, live: LiveUpdates): void {
  app.get('/api/scenarios', async () => ({ scenarios: runner.scenarios }));

  app.post(
    '/api/scenarios/:id/run',
    { schema: { params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 100 }) }) } },
    async (request, reply) => {
      const { id } = request.params;
      let finished: Promise<ScenarioResult>;
      try {
        finished = runner.start(id, (line) => live.broadcast({ type: 'scenario-line', id, line }));
      } catch (error) {
        if (error instanceof ScenarioBusyError) {
          throw new HttpProblem(409, 'scenario-running', 'A scenario is running', error.message);
        }
        if (error instanceof ScenarioUnavailableError) {
          throw new HttpProblem(409, 'scenario-unavailable', 'Scenario unavailable here', error.message);
        }
        throw error;
      }
      finished.then(
        (result) => live.broadcast({ type: 'scenario-finished', result }),
        (error: unknown) =>
          live.broadcast({ type: 'scenario-finished', result: { id, status: 'failed', ms: 0, error: String(error) } }),
      );
      live.refreshSoon();
      return reply.code(202).send({ started: id });
    },
  );
}
