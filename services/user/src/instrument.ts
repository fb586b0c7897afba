/**
 * Loaded by main.ts before anything else: OpenTelemetry patches http, Fastify, pg and the AWS SDK as they are first
 * required, so tracing must start before the rest of the service is imported. Configured by the standard
 * OTEL_* variables (see packages/telemetry); off unless an exporter is chosen.
 */
import { startTelemetry } from '@shop/telemetry';

startTelemetry({ serviceName: 'user-service' });
