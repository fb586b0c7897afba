/**
 * The demo's embedded PostgreSQL, for real: the server from the platform package, a database per service, reached over
 * its Unix socket only, and no process left behind, whether it was stopped or failed to start.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@shop/testing';
import { Client } from 'pg';
import { postgresBinaries, startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded-postgres';

const execFileAsync = promisify(execFile);

/** PIDs of every process whose command line names this data directory (the postmaster's shows `-D <dir>`). */
function serverProcesses(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** Its backends and workers: children of the postmaster. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function query<R extends object>(url: string, sql: string): Promise<R[]> {
  const client = new Client(url);
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const binaryInstalled = postgresBinaries() !== undefined && process.platform === 'linux';

(binaryInstalled ? describe : describe.skip)(
  'embedded PostgreSQL (skipped where no binary for this platform is installed)',
  () => {
    let root: string;
    let server: EmbeddedPostgres | undefined;

    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'shop-embedded-pg-'));
    });

    afterEach(async () => {
      await server?.stop();
      server = undefined;
      await rm(root, { recursive: true, force: true });
    });

    const start = (overrides: { databases?: string[]; startupTimeoutMs?: number } = {}) =>
      startEmbeddedPostgres({
        dataDir: join(root, 'postgres'),
        databases: overrides.databases ?? ['order', 'user', 'inventory'],
        logFile: join(root, 'logs', 'postgres.log'),
        ...(overrides.startupTimeoutMs ? { startupTimeoutMs: overrides.startupTimeoutMs } : {}),
      });

    it('serves one database per service, each reachable by its own URL', async () => {
      server = await start();
      for (const name of ['order', 'user', 'inventory']) {
        const [row] = await query<{ current_database: string }>(server.url(name), 'SELECT current_database()');
        expect(row!.current_database).toBe(name);
      }
    }, 60_000);

    it('listens on its Unix socket only, in a short private directory', async () => {
      server = await start();
      const [row] = await query<{ listen_addresses: string }>(server.url('order'), 'SHOW listen_addresses');
      expect(row!.listen_addresses).toBe('');
      expect(readdirSync(server.socketDir)).toContain('.s.PGSQL.5432');
      expect(server.socketDir.length).toBeLessThan(60); // socket paths are limited to ~107 bytes
    }, 60_000);

    it('keeps its data across a restart on the same directory (what --keep-data relies on)', async () => {
      server = await start({ databases: ['order'] });
      await query(server.url('order'), "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
      await server.stop();
      server = await start({ databases: ['order', 'user'] });
      expect(await query(server.url('order'), 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
      expect(await query(server.url('user'), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    }, 60_000);

    it('stop() ends the postmaster and every child of it, and removes the socket directory', async () => {
      server = await start();
      const children = childrenOf(server.pid);
      expect(children.length).toBeGreaterThan(0);
      await server.stop();
      expect([server.pid, ...children].filter(alive)).toEqual([]);
      expect(() => readdirSync(server!.socketDir)).toThrow();
    }, 60_000);

    it('a host that exits without stopping it takes the server with it (no orphan postmaster)', async () => {
      // A real host process on the built module: start the server, then exit at once without stop().
      const module = join(__dirname, '..', 'dist', 'embedded-postgres.js');
      const script =
        `require(${JSON.stringify(module)}).startEmbeddedPostgres({ dataDir: ${JSON.stringify(join(root, 'postgres'))}, ` +
        `databases: ['order'], logFile: ${JSON.stringify(join(root, 'host.log'))} })` +
        `.then((server) => { console.log(JSON.stringify({ pid: server.pid, socketDir: server.socketDir })); process.exit(0); })`;
      const { NODE_OPTIONS: _jestFlags, ...env } = process.env; // jest's VM-module flags are not for this child
      const { stdout } = await execFileAsync(process.execPath, ['-e', script], { env });
      const { pid, socketDir } = JSON.parse(stdout) as { pid: number; socketDir: string };
      expect(pid).toBeGreaterThan(0);
      expect(existsSync(socketDir)).toBe(false);
      await eventually(() => expect(alive(pid)).toBe(false), { timeoutMs: 10_000 });
    }, 60_000);

    it('a start that fails after the server was launched leaves no process and no socket directory', async () => {
      // The socket directory is made under os.tmpdir(), i.e. TMPDIR: here one of this test's own, to see it removed.
      const sockets = join(root, 'tmp');
      await mkdir(sockets);
      const tmpdirBefore = process.env.TMPDIR;
      process.env.TMPDIR = sockets;
      try {
        // 1 ms: the server is spawned, then given up on before it can be ready.
        await expect(start({ startupTimeoutMs: 1 })).rejects.toThrow(/not ready within 1 ms/);
      } finally {
        if (tmpdirBefore === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = tmpdirBefore;
      }
      expect(serverProcesses(join(root, 'postgres')).filter(alive)).toEqual([]);
      expect(readdirSync(sockets)).toEqual([]);
    }, 60_000);
  },
);
