import { createServer, type Server } from 'node:net';
import { ephemeralRangeStart, freePorts } from '../src/free-ports';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('freePorts (dynamic ports, known before the services listen)', () => {
  it('picks distinct ports below the ephemeral range, so no outgoing connection is given one meanwhile', async () => {
    const ports = await freePorts(12);
    expect(new Set(ports).size).toBe(12);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralRangeStart());
    }
    const servers = await Promise.all(ports.map(listen)); // each one really free
    await Promise.all(servers.map(close));
  });

  it('passes over a port something else holds', async () => {
    const [taken] = await freePorts(1);
    const holder = await listen(taken!);
    try {
      // Draws mapping to the taken port twice, then one elsewhere: the taken one is tried and passed over.
      const span = ephemeralRangeStart() - 10_000;
      const onTaken = (taken! - 10_000 + 0.5) / span;
      const draws = [onTaken, onTaken, 0.5];
      const [port] = await freePorts(1, () => draws.shift()!);
      expect(draws).toEqual([]);
      expect(port).not.toBe(taken);
    } finally {
      await close(holder);
    }
  });
});
