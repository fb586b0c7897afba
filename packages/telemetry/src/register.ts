/**
 * `node --require @shop/telemetry/register dist/main.js` — starts tracing from the environment before the
 * service's first `require`, so http, Fastify, pg and the AWS SDK are patched when they load.
 * A bad setting stops the process with one line, like every other configuration error.
 */
import { startTelemetry } from './start-telemetry';
import { TelemetryConfigError } from './telemetry-config';

try {
  const telemetry = startTelemetry();
  // A process that ends by itself (a CLI, `--once` runs) still exports its last spans. Services shut down
  // through close-with-grace and should close telemetry last (`shutdownTelemetry`).
  process.once('beforeExit', () => void telemetry.shutdown());
} catch (error) {
  if (!(error instanceof TelemetryConfigError)) throw error;
  process.stderr.write(`${process.env.OTEL_SERVICE_NAME ?? 'telemetry'}: ${error.message}\n`);
  process.exit(1);
}
