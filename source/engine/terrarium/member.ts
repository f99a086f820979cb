/**
 * A creature hosted by a terrarium: its Agent, its name and privilege in
 * the team, and the Runnable face the composition algebra and scripts use
 * (`run`, `runStream`, `chat`). Channels, wires and triggers are the
 * terrarium's business; a member only runs turns.
 */
import type { Agent } from '../creature/agent.js';
import type { RunOptions } from '../creature/agent-options.js';
import type { TurnResult } from '../creature/turn-result.js';
import type { TurnStream } from '../creature/turn-stream.js';
import type { UserContent } from '../llm/messages.js';

export type MemberState = 'idle' | 'running' | 'stopped';

export class TerrariumCreature {
  /** Runs in flight (`run`, `chat`, wires, channel messages). */
  private started = false;

  constructor(
    readonly agent: Agent,
    readonly name: string,
    readonly privileged: boolean,
    readonly parent: string | undefined,
  ) {}

  /** The instance id (unique even when two members share a config). */
  get id(): string {
    return this.agent.creatureId;
  }

  get state(): MemberState {
    if (!this.started) return 'stopped';
    const s = this.agent.state;
    return s === 'running' ? 'running' : s === 'idle' ? 'idle' : 'stopped';
  }

  get isRunning(): boolean {
    return this.started && (this.agent.state === 'idle' || this.agent.state === 'running');
  }

  /** @internal the terrarium starts and stops members. */
  async start(): Promise<void> {
    await this.agent.start();
    this.started = true;
  }

  /** @internal */
  markStopped(): void {
    this.started = false;
  }

  run(input: UserContent, options?: RunOptions): Promise<TurnResult> {
    return this.agent.run(input, { source: 'user', ...options });
  }

  runStream(input: UserContent, options?: RunOptions): TurnStream {
    return this.agent.runStream(input, { source: 'user', ...options });
  }

  /** Send a message and read the answer as it streams: text chunks until the turn ends. */
  async *chat(message: UserContent, options?: RunOptions): AsyncGenerator<string, TurnResult> {
    const stream = this.agent.runStream(message, { source: 'user', ...options });
    for await (const event of stream) if (event.type === 'text.delta' && event.agentPath.length === 1) yield event.text;
    return stream.result;
  }
}
