export { createApp, type CreateAppOptions, type ServiceApp } from './create-app';
export { runService } from './run-service';
export type {
  DataServiceDefinition,
  StatelessServiceDefinition,
  ServiceContext,
  AppDeps,
  DataAppDeps,
  Worker,
  Closeable,
} from './service-definition';
export {
  loadConfig,
  serviceConfigSchema,
  baseConfigProperties,
  databaseConfig,
  messagingConfig,
  httpUrl,
  ConfigError,
} from './config';
export {
  DEV_JWT_SECRET,
  PUBLISHED_JWT_SECRETS,
  SECRET_GENERATION_HINT,
  productionSecretProblem,
} from './jwt-secret-policy';
export {
  HttpProblem,
  ProblemSchema,
  PROBLEM_CONTENT_TYPE,
  problemType,
  notFound,
  conflict,
  type Problem,
} from './problem';
export { toProblem, sendProblem } from './error-handler';
export type { ReadinessCheck } from './health';
export { loggerOptions } from './logger';
export { Type, type Static } from '@sinclair/typebox';
export { registerFaultInjection, type FaultRule, type FaultInjectionOptions } from './fault-injection';
export {
  registerAuthentication,
  signServiceToken,
  signCustomerToken,
  accessTokenOptions,
  trustEveryCallerForTests,
  verifiesTokens,
  type Principal,
  type Authentication,
  type AuthenticationOptions,
  type TrustEveryCallerForTests,
} from './authentication';
export {
  registerRoutesFor,
  anyVerifiedCaller,
  onlyServices,
  onlyCustomers,
  customerOf,
  mayActFor,
  type CallerGuard,
} from './caller-guards';
export { problemFor, repeatedSkuProblem, type DomainProblem } from './domain-problems';
export { eventMetadataOf } from './event-metadata';
export { MAX_WAIT_SECONDS, PreferWaitHeaders, preferredWaitSeconds } from './prefer-wait';
export type { FastifyRequest, FastifyReply } from 'fastify';
export {
  registerOperatorRoutes,
  OutboxBacklogSchema,
  BreakerSnapshotSchema,
  type OperatorSources,
  type OutboxBacklog,
  type BreakerSnapshot,
  type BreakerMetrics,
} from './operator-routes';
