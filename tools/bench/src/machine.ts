/** The machine a run was measured on, for the report: figures mean little without it. */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: other work on a shared machine skews every figure. */
  loadAverage: number;
}

function distribution(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return match ? `${match[1]}, ` : '';
  } catch {
    return '';
  }
}

export function describeMachine(): MachineDescription {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${distribution()}${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}

export const machineLine = (m: MachineDescription): string =>
  `${m.cpus} CPUs (nproc) × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}; load average ${m.loadAverage} at start`;
