/**
 * Loaded first by main.ts: OpenTelemetry patches http, Fastify, pg and the AWS SDK as they are first required, so
 * tracing must start before the rest of the service is imported. Configured by the standard OTEL_* variables.
 */
import { startTelemetry } from '@shop/telemetry';

startTelemetry({ serviceName: 'order-service' });
