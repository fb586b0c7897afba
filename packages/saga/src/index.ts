import { join } from 'node:path';

export {
  defineSaga,
  SagaDefinition,
  type AnyStep,
  type CompensatableStep,
  type CompensationContext,
  type PivotStep,
  type RetriableStep,
  type SagaData,
  type SagaHooks,
  type SagaOptions,
  type SagaStep,
  type StepContext,
  type StepKind,
  type StepOutput,
  type WithOutput,
} from './define-saga';
export {
  createSagaEngine,
  type SagaEngine,
  type SagaEngineOptions,
  type SagaInstance,
  type SagaInstanceWithLog,
  type StepLogEntry,
} from './saga-engine';
export { SagaState, type ActiveSagaState } from './saga-state';
export { type SagaEventMap, type SagaEventName, type SagaListener } from './saga-events';
export { type StepAction, type StepOutcome } from './saga-store';
export { defaultCompensatePolicy, defaultInvokePolicy, type SagaPolicies, type StepPolicy } from './step-policy';
export { SagaNotFoundError, SagaNotRetryableError, UnknownSagaError } from './errors';
export { silentLogger, type SagaLogger } from './saga-logger';

/** The engine's SQL migrations, for `runMigrations(db, sagaMigrationsDir)` from @shop/db. */
export const sagaMigrationsDir: string = join(__dirname, '..', 'migrations');
