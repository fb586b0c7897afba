import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerOptions } from '../src';

function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const { transport: _pretty, ...options } = loggerOptions('test-service', 'info');
  return { logger: pino(options, stream), output: () => lines.join('') };
}

describe('the shared logger', () => {
  it('censors credentials and personal data wherever a service logs them', () => {
    const { logger, output } = capturedLogger();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJhbGciOi.secret.token', cookie: 'session=abc123' } },
        password: 'correct horse battery',
        user: {
          email: 'ada@example.com',
          passwordHash: 'scrypt$131072$8$1$c2FsdA$aGFzaA',
          shippingAddress: { line1: '1 Main St' },
        },
        token: 'refresh-me-not',
        err: {
          message: 'insert failed',
          params: ['ada@example.com', 'scrypt$16384$8$1$x$y'],
          detail: 'Key (email)=(ada@example.com)',
        },
      },
      'something happened',
    );
    const text = output();
    for (const leaked of [
      'eyJhbGciOi',
      'session=abc123',
      'correct horse',
      'ada@example.com',
      'scrypt$',
      '1 Main St',
      'refresh-me-not',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('something happened');
    expect(text).toContain('insert failed'); // the error itself is still there
    expect(text).toContain('[redacted]');
  });
});
