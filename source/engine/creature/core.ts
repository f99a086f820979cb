/**
 * `CreatureCore`: a conversation, a controller and an executor, made from
 * explicit parts and a `CreatureContext`. It is the one way a creature
 * thinks: the `Agent` wraps one with a turn lane, a session recorder and the
 * public API; a sub-agent run is a core of its own whose emitter is scoped
 * under the parent's path.
 */
import type { Provider } from '../llm/provider.js';
import type { LlmCallPurpose } from '../plugins/hooks.js';
import type { CreatureContext } from './context.js';
import { Controller, type ControllerDeps, type TurnRequest } from './controller.js';
import type { Conversation } from './conversation.js';
import type { Executor } from './executor.js';
import type { TurnResult } from './turn-result.js';

/**
 * What a core is made of: the controller's parts, less what the context
 * brings (plugins, the agent path). `purpose` says what hooks are told its
 * model calls are for.
 */
export type CoreParts = Omit<ControllerDeps, 'hooks' | 'agentPath' | 'purpose'> & { purpose: LlmCallPurpose };

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

  /** Talk to another model from the next round on (the conversation stays). */
  useProvider(provider: Provider, settings: CoreParts['settings']): void {
    this.parts.provider = provider;
    this.parts.settings = settings;
    this.controller.deps.provider = provider;
    this.controller.deps.settings = settings;
  }

  /** Run one turn; its events go out through this core's emitter unless the request brings its own. */
  runTurn(request: Omit<TurnRequest, 'emit'> & { emit?: TurnRequest['emit'] }): Promise<TurnResult> {
    const emitter = this.context.emitter;
    return this.controller.runTurn({ ...request, emit: request.emit ?? ((draft) => emitter.emit(draft, request.turnId)) });
  }
}
