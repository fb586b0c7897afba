import { spawnSync } from 'node:child_process';
import { cpuSeconds, parentPid, processTreeCpuSeconds } from '../src/process-usage';

(process.platform === 'linux' ? describe : describe.skip)('processTreeCpuSeconds (Linux only: reads /proc)', () => {
  it('counts a child that has exited and been reaped, as a postmaster counts a closed connection’s backend', () => {
    const before = processTreeCpuSeconds(process.pid)!;
    // A fixed amount of work, not a fixed time: the child reports the CPU it used, whatever the machine's load.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        'let x = 0; for (let i = 0; i < 3e8; i++) x += i; const u = process.cpuUsage(); console.log((u.user + u.system) / 1e6)',
      ],
      { encoding: 'utf8' },
    );
    const childSeconds = Number(child.stdout.trim());
    const after = processTreeCpuSeconds(process.pid)!;
    expect(childSeconds).toBeGreaterThan(0.05);
    // /proc counts in 10 ms ticks.
    expect(after - before).toBeGreaterThanOrEqual(childSeconds - 0.02);
    expect(processTreeCpuSeconds(process.pid)!).toBeGreaterThanOrEqual(cpuSeconds(process.pid)!);
  });

  it('names a process’s parent', () => {
    expect(parentPid(process.pid)).toBe(process.ppid);
  });
});
