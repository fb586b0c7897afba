// @shop/bench as a library: the closed-loop driver and the statistics, for anyone measuring their own flow.
export { runClosedLoop, type ClosedLoopOptions, type ClosedLoopResult, type Operation } from './closed-loop';
export { percentile, summarize, type LatencySummary } from './stats';
