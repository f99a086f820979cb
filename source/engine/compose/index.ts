/**
 * The composition algebra (`kohakuterrarium/compose`): steps (creatures,
 * terrarium creatures, plain functions) combined into pipelines.
 */
export { Composable } from './composable.js';
export { seq, par, fallback, retry, route, timeout, runnable } from './combinators.js';
export { agent, factory, AgentRunnable } from './agents.js';
export { ComposeStream } from './stream.js';
export { PipelineIterator } from './iterate.js';
export type { RetryOptions } from './recovery.js';
export { CompositionError, StepFailedError, OutputRejectedError, NoRouteError, type CompositionStatus } from './errors.js';
export type { StepContext, StepFn, TurnRunnable, AnyStep, StepTaking, InputOf, OutputOf, StepStatus, StepRecord, ComposeResult, ComposeRunOptions, ComposeEvent, Settled } from './types.js';
