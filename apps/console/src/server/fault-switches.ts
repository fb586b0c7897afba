/**
 * The fault switches, like the OpenTelemetry demo's feature flags: each position is a set of fault-injection rules
 * for one service (service-kit's `PUT /admin/faults`, called with the console's service token) — or, for messages,
 * the SNS filter switch — with what a learner should expect to see. The switch reads its position back from the
 * service, so the page shows the truth even when a scenario or `curl` changed the rules.
 */
import type { FaultRule } from '@shop/service-kit';
import type { FaultMode, FaultSwitch, Reading, ServiceName } from '../shared/console-api';
import type { MessageDropSwitch } from './message-drop';
import { describeFailure, OperatorCallError, type OperatorClient } from './operator-client';

interface RuleMode extends FaultMode {
  rules: FaultRule[];
}

const NORMAL = 'normal';
const charges = { route: '/payments*', method: 'POST' } as const;

const paymentModes: RuleMode[] = [
  {
    id: NORMAL,
    label: 'Healthy',
    expectedEffect: 'Charges answer at once; checkouts go PENDING → CONFIRMED → SHIPPED → DELIVERED in a few seconds.',
    rules: [],
  },
  {
    id: 'slow',
    label: 'Slow',
    expectedEffect:
      'Each charge takes 0.6–0.9 s, still inside the order service’s per-call timeout: checkouts get slower, ' +
      'nothing fails, the payment breaker stays closed. Latency alone is not an outage.',
    rules: [{ ...charges, latencyMs: 600, jitterMs: 300 }],
  },
  {
    id: 'failing',
    label: 'Failing',
    expectedEffect:
      'Half the charges answer 503. The client retries them with the same Idempotency-Key, so most checkouts ' +
      'still succeed a little later; the failure rate climbs in the service map and the breaker may open.',
    rules: [{ ...charges, errorRate: 0.5, errorStatus: 503 }],
  },
  {
    id: 'declining',
    label: 'Declining',
    expectedEffect:
      'Every charge is declined (402): a definite “no” at the pivot. The saga compensates — releases the stock — ' +
      'and the order ends CANCELLED (saga COMPENSATED). The breaker stays closed: a decline is payment working.',
    rules: [{ ...charges, errorRate: 1, errorStatus: 402 }],
  },
  {
    id: 'hanging',
    label: 'Hanging',
    expectedEffect:
      'Charges never answer in time. Every attempt times out, then the payment breaker opens and later checkouts ' +
      'fail fast without calling payment. Payment is the pivot, so orders wait PENDING (never cancelled); switch ' +
      'back and the breaker lets a trial call through, closes, and the waiting orders complete.',
    rules: [{ ...charges, latencyMs: 30_000 }],
  },
];

const inventoryModes: RuleMode[] = [
  { id: NORMAL, label: 'Up', expectedEffect: 'Products list with their stock; reservations succeed.', rules: [] },
  {
    id: 'down',
    label: 'Down',
    expectedEffect:
      'Inventory refuses every request (503). The storefront’s product list fails and the gateway’s inventory ' +
      'breaker opens (later calls are refused at once). A new checkout cannot reserve stock: the saga retries, then ' +
      'compensates, and since releasing the stock fails too it parks in NEEDS_ATTENTION — retry it from the saga ' +
      'timeline once inventory is up.',
    rules: [{ route: '*', down: '503' }],
  },
];

const messageModes: FaultMode[] = [
  {
    id: NORMAL,
    label: 'Delivered',
    expectedEffect: 'Order events reach the user service’s queue; a customer’s order history follows their orders.',
  },
  {
    id: 'dropped',
    label: 'Dropped',
    expectedEffect:
      'SNS drops order events for the user-service queue (its subscription filter matches nothing): orders still ' +
      'complete — the saga never waits for events — but the order history stops changing. Switch back and new ' +
      'events flow again; the dropped ones are gone, because SNS keeps nothing for a subscription that did not match.',
  },
];

const ruleSwitches: { id: string; label: string; service: ServiceName; modes: RuleMode[] }[] = [
  { id: 'payment', label: 'Payment service', service: 'payment', modes: paymentModes },
  { id: 'inventory', label: 'Inventory service', service: 'inventory', modes: inventoryModes },
];
const MESSAGES = { id: 'messages', label: 'Order events to the user service', modes: messageModes };

/** A rule with its defaults filled in, as text: the service may answer with defaults we did not send. */
function canonical(rule: FaultRule): string {
  const { route, method, latencyMs = 0, jitterMs = 0, errorRate = 0, errorStatus = 503, down } = rule;
  return JSON.stringify([route, method ?? '', latencyMs, jitterMs, errorRate, errorRate ? errorStatus : 0, down ?? '']);
}

export class UnknownFaultModeError extends Error {}

const publicMode = ({ id, label, expectedEffect }: FaultMode): FaultMode => ({ id, label, expectedEffect });

export class FaultSwitches {
  constructor(
    private readonly operator: OperatorClient,
    private readonly messages: MessageDropSwitch | undefined,
  ) {}

  /** Every switch with its current position, read from the services (and SNS) now. */
  async read(): Promise<FaultSwitch[]> {
    const switches = await Promise.all(
      ruleSwitches.map(async ({ id, label, service, modes }) => ({
        id,
        label,
        modes: modes.map(publicMode),
        current: await this.currentRuleMode(service, modes),
      })),
    );
    const messages: FaultSwitch = { ...MESSAGES, current: await this.currentMessageMode() };
    return [...switches, messages];
  }

  async set(switchId: string, modeId: string): Promise<void> {
    if (switchId === MESSAGES.id) {
      if (!this.messages) throw new UnknownFaultModeError('no SNS/SQS endpoint is configured');
      if (modeId === NORMAL) return this.messages.deliver();
      if (modeId === 'dropped') return this.messages.drop();
      throw new UnknownFaultModeError(`messages has no mode "${modeId}"`);
    }
    const target = ruleSwitches.find((candidate) => candidate.id === switchId);
    const mode = target?.modes.find((candidate) => candidate.id === modeId);
    if (!target || !mode) throw new UnknownFaultModeError(`no switch "${switchId}" with mode "${modeId}"`);
    if (mode.rules.length === 0) await this.operator.call(target.service, 'DELETE', '/admin/faults');
    else await this.operator.call(target.service, 'PUT', '/admin/faults', { rules: mode.rules });
  }

  private async currentRuleMode(service: ServiceName, modes: RuleMode[]): Promise<Reading<string>> {
    try {
      const { rules } = await this.operator.get<{ rules: FaultRule[] }>(service, '/admin/faults');
      const active = rules.map(canonical).join('\n');
      return { ok: true, value: modes.find((mode) => mode.rules.map(canonical).join('\n') === active)?.id ?? 'custom' };
    } catch (error) {
      if (error instanceof OperatorCallError && error.status === 404) {
        return { ok: false, error: `fault injection is off on ${service} (start it with FAULT_INJECTION=on)` };
      }
      return { ok: false, error: describeFailure(service, error) };
    }
  }

  private async currentMessageMode(): Promise<Reading<string>> {
    if (!this.messages) return { ok: false, error: 'no SNS/SQS endpoint is configured' };
    try {
      return { ok: true, value: (await this.messages.isDropping()) ? 'dropped' : NORMAL };
    } catch (error) {
      return { ok: false, error: `SNS could not be asked: ${(error as Error).message}` };
    }
  }
}
