/** The replica suite's load balancer: new connections take turns, and a replica that refuses is passed over. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRoundRobinProxy, type RoundRobinProxy } from '../src/replicas/round-robin-proxy';

async function replica(name: string): Promise<Server> {
  const server = createServer((_request, response) => response.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
/** A fresh connection per request (no keep-alive), so each request is one balancing decision. */
const ask = async (url: string) =>
  (await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5_000) })).text();

describe('round-robin proxy', () => {
  let servers: Server[];
  let proxy: RoundRobinProxy;
  beforeEach(async () => {
    servers = [await replica('a'), await replica('b')];
    proxy = await startRoundRobinProxy(servers.map((server) => ({ port: portOf(server) })));
  });
  afterEach(async () => {
    await proxy.close();
    await Promise.all(servers.filter((server) => server.listening).map(close));
  });

  it('hands new connections to each replica in turn', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(proxy.url));
    expect(answers).toEqual(['a', 'b', 'a', 'b']);
    expect(proxy.connections).toEqual([2, 2]);
  });

  it('passes over a replica that refuses connections, and resets the caller when every replica does', async () => {
    await close(servers[0]!);
    expect([await ask(proxy.url), await ask(proxy.url)]).toEqual(['b', 'b']);
    await close(servers[1]!);
    await expect(ask(proxy.url)).rejects.toThrow();
  });
});
