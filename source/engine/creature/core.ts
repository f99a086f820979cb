/**
 * `CreatureCore`: a conversation, a controller and an executor, made from
 * explicit parts and a `CreatureContext`. It is the one way a creature
 * thinks: the `Agent` wraps one with a turn lane, a session recorder and the
 * public API; a sub-agent run is a core of its own whose emitter is scoped
 * under the parent's path.
 */
import type { Usage } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { RetryPolicy } from '../llm/retry.js';
import type { ToolCallFormat } from '../parsing/format.js';
import type { LlmCallPurpose } from '../plugins/hooks.js';
import type { CreatureContext } from './context.js';
import { Controller, type ControllerDeps, type ControllerSettings, type IterationBudget, type TurnLimits, type TurnRequest } from './controller.js';
import type { Conversation } from './conversation.js';
import type { RoundPolicy } from './round-policies.js';
import type { Executor } from './executor.js';
import type { TurnResult } from './turn-result.js';

export interface CoreParts {
  provider: Provider;
  conversation: Conversation;
  executor: Executor;
  settings: ControllerSettings;
  limits: TurnLimits;
  retry: RetryPolicy;
  /** Token totals this core adds to (a sub-agent's own, or the creature's). */
  totals: Usage;
  budget?: IterationBudget;
  format?: ToolCallFormat;
  /** Hooks see model calls of this core as made for this purpose. */
  purpose: LlmCallPurpose;
  takeInjected?: ControllerDeps['takeInjected'];
  /** `prepareRound` policies (overflow trimming, compaction). */
  policies?: readonly RoundPolicy[];
}

export class CreatureCore {
  readonly controller: Controller;

  constructor(
    readonly parts: CoreParts,
    readonly context: CreatureContext,
  ) {
    const { purpose, ...deps } = parts;
    this.controller = new Controller({
      ...deps,
      hooks: context.hooks,
      purpose,
      agentPath: context.emitter.agentPath,
    });
  }

  get conversation(): Conversation {
    return this.parts.conversation;
  }

  get executor(): Executor {
    return this.parts.executor;
  }

  get provider(): Provider {
    return this.parts.provider;
  }

  /** Run one turn; its events go out through this core's emitter unless the request brings its own. */
  runTurn(request: Omit<TurnRequest, 'emit'> & { emit?: TurnRequest['emit'] }): Promise<TurnResult> {
    const emitter = this.context.emitter;
    return this.controller.runTurn({ ...request, emit: request.emit ?? ((draft) => emitter.emit(draft, request.turnId)) });
  }
}
