/**
 * What a service process costs, read from Linux's /proc: CPU seconds so far (user + system) and resident memory.
 * Elsewhere (macOS, Windows) these answer undefined (or nothing) and the benchmark leaves those columns empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime: USER_HZ, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

export function cpuSeconds(pid: number | undefined): number | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime + stime) ? (utime + stime) / USER_HZ : undefined;
}

export function residentMegabytes(pid: number | undefined): number | undefined {
  const status = readProc(pid, 'status');
  const kilobytes = status && /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kilobytes ? Number(kilobytes) / 1024 : undefined;
}

/**
 * Resident (RSS) and proportional (PSS) memory, MB, from smaps_rollup. PSS divides each shared page among the
 * processes that map it, so it adds up across processes where RSS counts shared memory (Postgres's shared buffers,
 * the node binary's pages) once per process.
 */
export function memoryMegabytes(pid: number | undefined): { rss: number; pss: number } | undefined {
  const rollup = readProc(pid, 'smaps_rollup');
  const rss = rollup && /^Rss:\s+(\d+) kB/m.exec(rollup)?.[1];
  const pss = rollup && /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
  return rss && pss ? { rss: Number(rss) / 1024, pss: Number(pss) / 1024 } : undefined;
}

/**
 * CPU seconds so far of a process and everything under it — a Postgres postmaster and its backends: its own time,
 * the time of the children it has already reaped (cutime/cstime: a pooled connection's backend that exited), and the
 * live children's own. Undefined when the process cannot be read.
 */
export function processTreeCpuSeconds(pid: number): number | undefined {
  const own = statFields(pid);
  if (!own) return undefined;
  const ticks = (fields: string[], from: number, to: number) =>
    fields.slice(from, to + 1).reduce((sum, field) => sum + (Number(field) || 0), 0);
  let total = ticks(own, 11, 14); // utime, stime, cutime, cstime
  for (const child of childPids(pid)) {
    const fields = statFields(child);
    if (fields) total += ticks(fields, 11, 14);
  }
  return total / USER_HZ;
}

/** /proc/<pid>/stat's fields after the command name (which may hold spaces and parentheses), from `state` on. */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : undefined;
}

/** The PID of `pid`'s parent (a Postgres backend's is its postmaster), from /proc; undefined outside Linux. */
export function parentPid(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : undefined;
}

/** The PIDs whose parent is `pid` (e.g. a postmaster's backends), from /proc; none outside Linux. */
export function childPids(pid: number): number[] {
  if (process.platform !== 'linux') return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const stat = readProc(Number(entry), 'stat');
      return stat !== undefined && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    })
    .map(Number);
}

/** The process's name and arguments as /proc shows them (a Postgres backend's says which database it serves). */
export function commandLine(pid: number): string | undefined {
  return readProc(pid, 'cmdline')?.split('\0').join(' ').trim();
}

function readProc(pid: number | undefined, file: string): string | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process is gone
  }
}
