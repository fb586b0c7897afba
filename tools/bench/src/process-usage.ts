/**
 * What a service process costs, read from Linux's /proc: CPU seconds so far (user + system) and resident memory.
 * Elsewhere (macOS, Windows) both answer undefined and the benchmark leaves those columns empty.
 */
import { readFileSync } from 'node:fs';

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

function readProc(pid: number | undefined, file: string): string | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process is gone
  }
}
