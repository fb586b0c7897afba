/** `@shop/event-store/testing`: specification helpers for deciders (kept out of the main entry point). */
export { DeciderSpecification, type DecisionAssertions } from './decider-specification';
