/** Moves a fault switch; the next snapshot shows the new position as the service reports it. */
import { HttpProblem, Type, type ServiceApp } from '@shop/service-kit';
import { UnknownFaultModeError, type FaultSwitches } from '../fault-switches';
import type { LiveUpdates } from '../live-updates';
import { OperatorCallError, problemFromFailure } from '../operator-client';

export function registerFaultRoutes(app: ServiceApp, faults: FaultSwitches, live: LiveUpdates): void {
  app.put(
    '/api/faults/:switch',
    {
      schema: {
        params: Type.Object({ switch: Type.String({ minLength: 1, maxLength: 40 }) }),
        body: Type.Object({ mode: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
      },
    },
    async (request) => {
      try {
        await faults.set(request.params.switch, request.body.mode);
      } catch (error) {
        if (error instanceof UnknownFaultModeError)
          throw new HttpProblem(404, 'not-found', 'Unknown switch', error.message);
        if (error instanceof OperatorCallError) throw problemFromFailure(request.params.switch, error);
        throw new HttpProblem(502, 'switch-failed', 'Switch failed', (error as Error).message);
      }
      live.refreshSoon();
      return { switch: request.params.switch, mode: request.body.mode };
    },
  );
}
