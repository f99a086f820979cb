/**
 * A team's model calls all go to one provider (`BuildOptions.allModels` is
 * shared by every member); `TeamReplayProvider` hands each call to the
 * member's own `ReplayProvider`, told apart by the first name of the
 * caller's agent path (`StreamOptions.caller`). A call from a creature the
 * recording does not have gets an empty final answer and is counted.
 */
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../llm/provider.js';
import { ReplayProvider, type ExtraCall } from './provider.js';
import type { CreatureRecording } from './recording.js';

export class TeamReplayProvider implements Provider {
  readonly id = 'replay/team';
  readonly provider = 'replay';
  readonly model = 'team';
  /** One provider serves the whole team: the recorded context window of its members (they share a model in practice). */
  readonly maxContext?: number;
  readonly members = new Map<string, ReplayProvider>();
  /** Calls from creatures the recording does not have. */
  readonly strangers: ExtraCall[] = [];

  constructor(creatures: readonly CreatureRecording[]) {
    for (const creature of creatures) this.members.set(creature.name, new ReplayProvider(creature));
    const window = creatures.find((c) => c.maxContext !== undefined)?.maxContext;
    if (window !== undefined) this.maxContext = window;
  }

  async *stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart> {
    const member = this.members.get(options.caller?.agentPath[0] ?? '');
    if (member) {
      yield* member.stream(request, options);
      return;
    }
    this.strangers.push({ lane: options.caller?.agentPath.join('/') ?? '?', turnId: options.caller?.turnId ?? null, step: options.caller?.step ?? 0 });
    yield { type: 'finish', finishReason: 'stop' };
  }
}
