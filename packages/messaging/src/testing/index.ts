/** `@shop/messaging/testing`: helpers for services' tests (kept out of the main entry point). */
export { startEventProbe, type EventProbe, type ProbedMessage } from './event-probe';
