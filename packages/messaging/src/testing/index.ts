/**
 * `@shop/messaging/testing`: helpers for services' tests, kept out of the main entry point. The probe runs an
 * in-process local-aws, which is only a devDependency here: service images (production dependencies only) do not
 * ship the emulator, so a package importing this entry point lists `@shop/local-aws` among its own devDependencies.
 */
export { startEventProbe, type EventProbe, type ProbedMessage } from './event-probe';
