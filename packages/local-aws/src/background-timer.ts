// The emulator's own timers (long polls, visibility, move tasks, sweeps) on the shared Clock, never keeping a process
// alive: a test or a tool that embeds local-aws exits when its own work is done.
import { unrefTimer, type Clock } from '@shop/clock';

export interface BackgroundTimer {
  cancel(): void;
}

export function scheduleInBackground(clock: Clock, delayMs: number, callback: () => void): BackgroundTimer {
  const handle = clock.setTimeout(callback, Math.max(0, delayMs));
  unrefTimer(handle);
  return { cancel: () => clock.clearTimeout(handle) };
}
