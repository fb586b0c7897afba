/**
 * The two servers the replica suite needs beside its own processes: Postgres (one database per service, shared by the
 * service's two replicas) and Redis (the gateways' shared rate limit), both on 127.0.0.1 only. When either is absent
 * the suite skips with the reason instead of failing; the databases it creates carry the run's id and are dropped
 * on every way out.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { openPostgresDatabase } from '@shop/db';

export const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Why the suite cannot run here, or undefined when both servers answer. */
export async function missingServers(): Promise<string | undefined> {
  const problems: string[] = [];
  const admin = openPostgresDatabase({ url: POSTGRES_ADMIN_URL, maxConnections: 1 });
  try {
    await withTimeout(admin.query('SELECT 1'), 3_000, 'no answer');
  } catch (error) {
    problems.push(`no Postgres at ${POSTGRES_ADMIN_URL} (${(error as Error).message})`);
  } finally {
    await admin.close().catch(() => undefined);
  }
  if (!(await redisAnswersPing())) problems.push(`no Redis at ${REDIS_URL}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** One RESP `PING` over a raw socket: the suite needs no Redis client for this. */
function redisAnswersPing(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export interface ServiceDatabases {
  /** Connection URL per service name. */
  readonly urls: Record<string, string>;
  /** Drops every database of the run (also those whose replicas still hold connections). Idempotent. */
  drop(): Promise<void>;
}

/** Creates `replicas_<run>_<service>` for each service; on a failure part-way, drops the ones already made. */
export async function createServiceDatabases(services: readonly string[]): Promise<ServiceDatabases> {
  const run = randomBytes(4).toString('hex');
  const admin = openPostgresDatabase({ url: POSTGRES_ADMIN_URL, maxConnections: 1 });
  const created: string[] = [];
  const urls: Record<string, string> = {};
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    for (const name of created) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  };
  try {
    for (const service of services) {
      const name = `replicas_${run}_${service}`;
      await admin.exec(`CREATE DATABASE ${name}`);
      created.push(name);
      urls[service] = `postgres://postgres@127.0.0.1:5432/${name}`;
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { urls, drop };
}

function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(reason)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
