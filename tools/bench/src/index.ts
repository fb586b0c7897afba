// @shop/bench as a library: the closed- and open-loop drivers and the statistics, for anyone measuring their own flow.
export { runClosedLoop, type ClosedLoopOptions, type ClosedLoopResult, type Operation } from './closed-loop';
export {
  arrivalSchedule,
  runOpenLoop,
  type ArrivalOutcome,
  type OpenLoopOptions,
  type OpenLoopResult,
} from './open-loop';
export { percentile, summarize, type LatencySummary } from './stats';
