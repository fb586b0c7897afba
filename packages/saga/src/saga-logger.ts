/** The slice of a pino logger the engine uses, so any pino instance (or a test double) fits. */
export interface SagaLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export const silentLogger: SagaLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
