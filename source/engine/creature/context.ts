/**
 * `CreatureContext`: everything a creature core is given rather than builds:
 * where its events go, the plugin chain, who answers its questions, its
 * session and its clock. A creature, a sub-agent run and (later) a terrarium
 * node are all cores built from a context; a sub-agent's is its parent's with
 * a scoped emitter.
 */
import type { HookChain } from '../plugins/chain.js';
import type { Emitter } from './emitter.js';
import type { Interactions } from './interactions.js';
import type { SessionPort } from './session-port.js';
import type { Clock } from '../util/clock.js';

export { systemClock, type Clock } from '../util/clock.js';

export interface CreatureContext {
  emitter: Emitter;
  hooks: HookChain;
  interactions: Interactions;
  session: SessionPort;
  clock: Clock;
}

/** The same context, emitting under a sub-agent's path and run. */
export function scopedContext(context: CreatureContext, agentPath: readonly string[], runId: string, turnId: string | null): CreatureContext {
  return { ...context, emitter: context.emitter.scope({ agentPath, runId, turnId }) };
}
