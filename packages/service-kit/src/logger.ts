/**
 * pino options shared by every service: JSON lines in production, pretty output only on an interactive terminal,
 * `trace_id`/`span_id` of the active span on every line (so logs and traces join up), and redaction of what must never
 * reach a log: credentials and personal data.
 */
import { traceLogMixin } from '@shop/telemetry';
import type { LoggerOptions } from 'pino';

/**
 * Field names whose values are censored wherever they appear at the top of a log object or one level down
 * (`{ user: { email } }`), and in request/response headers. Keep names here rather than hoping nobody logs them:
 * a log line is copied to terminals, files and collectors that have none of the database's access control.
 */
const SENSITIVE_FIELDS = [
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'email',
  'address',
  'shippingAddress',
  'shipping_address',
  // Database errors: node-postgres and PGlite attach the row (`detail`) and, PGlite, the query's parameters.
  'params',
  'detail',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
];

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    mixin: traceLogMixin,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
