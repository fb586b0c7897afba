/**
 * Given/when/then specifications for deciders, with no database: given past events, when a command, then these
 * new events — or this error.
 *
 *   DeciderSpecification.for(orderDecider)
 *     .given([{ type: 'OrderPlaced', data: { … } }])
 *     .when({ type: 'ConfirmOrder', data: { … } })
 *     .then([{ type: 'OrderConfirmed', data: { … } }]);
 *
 * Assertions use node:assert, so the helper works under any test runner. Do not `await` a `.when(…)`: its `then`
 * method is the assertion, not a promise.
 */
import { deepStrictEqual, fail } from 'node:assert';
import { foldEvents, type Decider, type DomainEvent } from '../decider';

type ErrorClass = abstract new (...args: never[]) => Error;

export class DeciderSpecification<Command, Event extends DomainEvent, State> {
  private constructor(
    private readonly decider: Decider<Command, Event, State>,
    private readonly history: readonly Event[] = [],
  ) {}

  static for<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
  ): DeciderSpecification<Command, Event, State> {
    return new DeciderSpecification(decider);
  }

  given(events: readonly Event[]): DeciderSpecification<Command, Event, State> {
    return new DeciderSpecification(this.decider, events);
  }

  when(command: Command): DecisionAssertions<Event> {
    const run = (): Event[] => this.decider.decide(command, foldEvents(this.decider, this.history));
    return {
      then(expected) {
        deepStrictEqual(run(), expected);
      },
      thenThrows(errorClass, check) {
        let decided: Event[];
        try {
          decided = run();
        } catch (error) {
          if (!(error instanceof errorClass)) {
            fail(`expected ${errorClass.name}, but decide threw ${String(error)}`);
          }
          check?.(error as InstanceType<typeof errorClass>);
          return;
        }
        fail(`expected ${errorClass.name}, but decide returned ${JSON.stringify(decided)}`);
      },
    };
  }
}

export interface DecisionAssertions<Event> {
  /** Asserts `decide` returns exactly these events (`[]`: nothing happens). */
  then(expected: readonly Event[]): void;
  /** Asserts `decide` throws an instance of `errorClass`; `check` may inspect it further. */
  thenThrows<E extends ErrorClass>(errorClass: E, check?: (error: InstanceType<E>) => void): void;
}
