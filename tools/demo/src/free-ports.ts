/**
 * Ports for processes that must know each other's addresses before any of them listens (`ports: 'dynamic'`): the
 * services get their neighbours' URLs in their environment at start.
 *
 * They are picked below the kernel's ephemeral range, not by listening on port 0. A port-0 listener gets a port from
 * that range, and once it is released to be handed to a service, the kernel may give the same port to any outgoing
 * connection — a Postgres pool connection, an HTTP client — before the service binds it: EADDRINUSE (seen in
 * `pnpm bench`: the gateway, 127.0.0.1:39457, while the other services opened their database connections). Below the
 * range the kernel assigns nothing by itself; only a program that names a port can take it, a random pick among
 * ~20,000 makes two runs choosing the same one unlikely, and each candidate is checked by binding it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Above the usual development ports (3000s, 4566, 5432, 6379, 8080, 9090 …). */
const LOWEST = 10_000;
/** Where ephemeral ports start when the kernel does not say: IANA's range (macOS, Windows). Linux reads its own. */
const IANA_EPHEMERAL_START = 49_152;

/** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range). */
export function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > 0 ? start : IANA_EPHEMERAL_START;
  } catch {
    return IANA_EPHEMERAL_START;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` distinct free ports on 127.0.0.1, below the ephemeral range. */
export async function freePorts(count: number, random: () => number = Math.random): Promise<number[]> {
  const highest = ephemeralRangeStart() - 1;
  if (highest - LOWEST < count * 100) {
    throw new Error(`no room for ${count} ports between ${LOWEST} and the ephemeral range (starts at ${highest + 1})`);
  }
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries >= count * 50) throw new Error(`found only ${ports.length} of ${count} free ports on 127.0.0.1`);
    const candidate = LOWEST + Math.floor(random() * (highest - LOWEST + 1));
    if (!ports.includes(candidate) && (await canListen(candidate))) ports.push(candidate);
  }
  return ports;
}
