/**
 * Loaded by main.ts before anything else: OpenTelemetry patches http, undici and Fastify as they are first required,
 * so tracing must start before the rest of the gateway is imported. Configured by the standard OTEL_* variables.
 */
import { startTelemetry } from '@shop/telemetry';

startTelemetry({ serviceName: 'gateway' });
