/** pino options shared by every service: JSON lines in production, pretty output only on an interactive terminal. */
import type { LoggerOptions } from 'pino';

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    redact: { paths: ['req.headers.authorization', 'password', '*.password'], censor: '[redacted]' },
    ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
