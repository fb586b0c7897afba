/**
 * pino options shared by every service: JSON lines in production, pretty output only on an interactive terminal,
 * and `trace_id`/`span_id` of the active span on every line, so logs and traces join up.
 */
import { traceLogMixin } from '@shop/telemetry';
import type { LoggerOptions } from 'pino';

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    mixin: traceLogMixin,
    redact: { paths: ['req.headers.authorization', 'password', '*.password'], censor: '[redacted]' },
    ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
