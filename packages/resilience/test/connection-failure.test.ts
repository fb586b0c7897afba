import { createServer, type AddressInfo, type Server } from 'node:net';
import { isConnectionFailure } from '../src';

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('isConnectionFailure', () => {
  it('recognises a refused connection, as fetch reports it (wrapped in a cause)', async () => {
    const port = await closedPort();
    const error = await caught(() => fetch(`http://127.0.0.1:${port}/`));
    expect(isConnectionFailure(error)).toBe(true);
    // And once more wrapped, as a client library's own error would carry it.
    expect(isConnectionFailure(new Error('inventory unreachable', { cause: error }))).toBe(true);
  });

  it('recognises a connection the server drops without answering', async () => {
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await caught(() => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
      expect(isConnectionFailure(error)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('looks into AggregateError (a name with IPv4 and IPv6 addresses, both refused)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(isConnectionFailure(new AggregateError([refused], 'connect failed'))).toBe(true);
  });

  it('does not count errors about our own request: a header value fetch refuses to send', async () => {
    const error = await caught(() => fetch('http://127.0.0.1:9/', { headers: { 'x-bad': 'a\nb' } }));
    expect(isConnectionFailure(error)).toBe(false);
    expect(isConnectionFailure(new TypeError('Invalid URL'))).toBe(false);
    expect(isConnectionFailure(Object.assign(new Error('pool closed'), { code: 'UND_ERR_CLOSED' }))).toBe(false);
  });

  it('is safe on anything thrown, including a cause chain that loops', () => {
    const looping: { cause?: unknown } = {};
    looping.cause = looping;
    for (const value of [undefined, null, 'ECONNREFUSED', 42, looping]) expect(isConnectionFailure(value)).toBe(false);
  });
});
