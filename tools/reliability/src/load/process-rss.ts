/**
 * Resident memory of a child process, read from /proc (Linux): the gateway runs as a child of the chaos run, found by
 * its entry script and its parent pid.
 */
import { readdir, readFile } from 'node:fs/promises';

export async function findChildPid(scriptSuffix: string, parentPid = process.pid): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = await readFile(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== parentPid) continue;
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (commandLine.some((arg) => arg.endsWith(scriptSuffix))) return Number(entry);
    } catch {
      // the process went away while we looked
    }
  }
  return undefined;
}

/** VmRSS in MiB. */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS for pid ${pid}`);
  return kib / 1024;
}
