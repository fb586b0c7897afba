// @shop/clock: time as a dependency — the Clock every package takes, the real one, a fake one, waiting on it, and
// the time-ordered ids (UUIDv7) made from it.
export { systemClock, unrefTimer, type Clock, type TimerHandle } from './clock';
export { FakeClock, type PendingTimer } from './fake-clock';
export { sleep } from './sleep';
export { uuidv7 } from './uuidv7';
