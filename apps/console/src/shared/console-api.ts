/**
 * The console's own API, as both sides see it: the server builds these shapes from the services' operator
 * endpoints and SQS, and streams them to the page over Server-Sent Events; the page only renders them.
 */

export type ServiceName = 'gateway' | 'order' | 'user' | 'inventory' | 'payment' | 'shipping';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface Breaker {
  name: string;
  state: BreakerState;
  calls: number;
  failures: number;
  failureRate: number;
  consecutiveFailures: number;
  retryAfterMs?: number;
}

/** A value read from somewhere that may be down: the value, or why it could not be read. */
export type Reading<T> = { ok: true; value: T } | { ok: false; error: string };

export interface QueueDepth {
  queue: string;
  /** Messages waiting to be received. */
  visible: number;
  /** Received by a consumer and not yet deleted (being handled). */
  inFlight: number;
  delayed: number;
  deadLetters: { queue: string; visible: number };
}

export interface SagaSummary {
  id: string;
  state: string;
  currentStep?: string;
  attempt: number;
  failureReason?: string;
  attention?: { reason: string; resumesAs: string };
  createdAt: string;
  updatedAt: string;
  traceId?: string;
}

export type StepKind = 'compensatable' | 'pivot' | 'retriable';

export interface SagaStepAttempt {
  step: string;
  action: 'invoke' | 'compensate';
  attempt: number;
  idempotencyKey: string;
  startedAt: string;
  finishedAt?: string;
  outcome?: string;
  error?: string;
}

export interface SagaDetail extends SagaSummary {
  sagaName: string;
  nextAttemptAt?: string;
  steps: SagaStepAttempt[];
  definition: { name: string; kind: StepKind }[];
}

/** One position of a fault switch, e.g. payment "hanging". */
export interface FaultMode {
  id: string;
  label: string;
  /** What the learner should see happen, in a sentence or two. */
  expectedEffect: string;
}

export interface FaultSwitch {
  /** What is switched: `payment`, `inventory`, `messages`. */
  id: string;
  label: string;
  modes: FaultMode[];
  /** The mode in force now (`custom` when someone set rules this console does not know, e.g. a scenario). */
  current: Reading<string>;
}

export interface Snapshot {
  at: string;
  health: Record<ServiceName, boolean>;
  /** Breakers by the service that owns them: the gateway's upstreams, the order saga's participants. */
  breakers: { gateway: Reading<Breaker[]>; order: Reading<Breaker[]> };
  outbox: Partial<Record<ServiceName, Reading<{ pending: number; oldestAgeSeconds: number }>>>;
  queues: Reading<QueueDepth[]>;
  sagas: Reading<SagaSummary[]>;
  faults: FaultSwitch[];
  scenario: { running?: number };
}

/** The system as a map: the services, the broker, and who talks to whom. */
export interface SystemMap {
  services: { name: ServiceName; label: string }[];
  broker: string;
  /** REST calls, each behind a circuit breaker owned by the caller. */
  calls: { from: ServiceName; to: ServiceName; breaker: { owner: 'gateway' | 'order'; name: string } }[];
  /** SNS topic → SQS queue subscriptions, from the topology. */
  subscriptions: { producer: ServiceName; topic: string; consumer: ServiceName; queue: string; events: string[] }[];
}

export interface ScenarioInfo {
  id: number;
  title: string;
  lesson: string;
  /** Why it cannot run from here, if it cannot (e.g. it kills processes that only `pnpm demo` owns). */
  unavailable?: string;
}

export interface ScenarioResult {
  id: number;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

export interface DeadLetterView {
  messageId: string;
  eventType?: string;
  aggregateId?: string;
  reason?: string;
  receiveCount: number;
  body: string;
}

export interface TraceSummary {
  traceId: string;
  root?: string;
  spans: number;
  services: string[];
  startTimeMs: number;
}

export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: string;
  startTimeMs: number;
  durationMs: number;
  error?: string;
}

/** Where traces are: the demo's in-process collector (the console draws them) or Jaeger (the console links). */
export interface TraceSource {
  collector: boolean;
  jaegerUrl?: string;
}

/** Messages on the `/api/events` stream. */
export type LiveEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'scenario-line'; id: number; line: string }
  | { type: 'scenario-finished'; result: ScenarioResult };
