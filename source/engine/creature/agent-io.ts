/**
 * A creature's input and output modules at run time. The modules are made
 * at build (`agent-io-modules.ts`); here they are started with the creature
 * and stopped with it: the input module first, so no new turn arrives while
 * the running ones are cancelled, the outputs last, so they still hear how
 * those turns ended.
 *
 * An input module submits turns through `injectInput` (source `api` unless
 * it says otherwise, origin naming the module, so the UI can mark them);
 * `ctx.end()` lets the pending turns finish, then stops the creature unless
 * triggers are there to keep it going.
 */
import type { AgentEvent, EventDraft, InputSource } from '../events.js';
import type { InputContext, InputModule, InputTurn } from '../io/input.js';
import type { OutputHandler, OutputModule } from '../io/output.js';
import { OutputRouter } from '../io/router.js';
import type { UserContent } from '../llm/messages.js';
import type { Clock } from '../util/clock.js';
import type { IoModules } from './agent-io-modules.js';
import type { RunOptions } from './agent-options.js';
import type { TurnResult } from './turn-result.js';

/** What the wiring needs from the Agent (its public side plus the clock and a way to emit). */
export interface IoHost {
  readonly name: string;
  readonly cwd: string;
  readonly folder: string;
  readonly clock: Clock;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  emit(draft: EventDraft): void;
  injectInput(input: UserContent, options: RunOptions): Promise<TurnResult>;
  stop(reason: string): Promise<void>;
  /** How many triggers the creature has (they keep it alive after the input ended). */
  triggerCount(): number;
}

export class AgentIo {
  readonly router: OutputRouter;
  /** Aborts when the input stops (first); the outputs' aborts after they drained (last). */
  private readonly abort = new AbortController();
  private readonly outputAbort = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();
  private detach: (() => void) | undefined;
  private inputStarted = false;
  private inputStopped: Promise<void> | undefined;

  constructor(
    private readonly modules: IoModules,
    private readonly host: IoHost,
  ) {
    this.router = new OutputRouter({ emit: (draft) => host.emit(draft) });
    for (const module of modules.main) this.router.addDefault(module);
    for (const [name, module] of modules.named) this.router.addNamed(name, module);
    // Subscribed from the start, so outputs hear every event from creature.start on.
    this.detach = host.subscribe(this.router.handle);
  }

  /** The input module, when one runs (the surface is the input otherwise). */
  get input(): InputModule | undefined {
    return this.modules.input;
  }

  /** The turns of the resumed session, for outputs with `onResume` (set at build, handed over once at start). */
  history: (() => AgentEvent[]) | undefined;

  /** Start the outputs, then the input module (so the first answer has somewhere to go). */
  async start(): Promise<void> {
    const { host } = this;
    await this.router.start({ creature: host.name, cwd: host.cwd, folder: host.folder, clock: host.clock, signal: this.outputAbort.signal });
    if (this.history && this.router.wantsHistory) this.router.resume(this.history());
    this.history = undefined;
    const input = this.modules.input;
    if (!input || this.inputStarted) return;
    this.inputStarted = true;
    try {
      await input.start(this.inputContext(input));
    } catch (error) {
      throw new Error(`input '${input.kind}' could not start: ${(error as Error).message}`, { cause: error });
    }
  }

  /** `agent.setOutputHandler(fn)`: fn gets each turn's answer. Returns the function that removes it. */
  setOutputHandler(handler: OutputHandler, options: { replaceDefault?: boolean } = {}): () => void {
    const module: OutputModule = { kind: 'handler', write: (text, info) => handler(text, info) };
    return this.router.add(module, 'output handler', options);
  }

  /** Stop the input module (once): no new input from here on. */
  stopInput(): Promise<void> {
    this.inputStopped ??= (async () => {
      this.abort.abort();
      const input = this.modules.input;
      if (!input || !this.inputStarted) return;
      try {
        await input.stop?.();
      } catch (error) {
        this.host.emit({ type: 'warning', code: 'INPUT_ERROR', message: `input '${input.kind}' failed to stop: ${(error as Error).message}` });
      }
    })();
    return this.inputStopped;
  }

  /** Let the outputs finish what is queued (bounded) and stop them. */
  async stopOutputs(): Promise<void> {
    await this.stopInput();
    await this.router.stop();
    this.outputAbort.abort();
    this.detach?.();
    this.detach = undefined;
  }

  private inputContext(input: InputModule): InputContext {
    const { host } = this;
    let ended = false;
    return {
      creature: host.name,
      cwd: host.cwd,
      clock: host.clock,
      signal: this.abort.signal,
      submit: (content, options = {}) => {
        const source: InputSource = options.source ?? 'api';
        const turn = host
          .injectInput(content, { source, origin: { kind: input.kind, ...(options.label ? { name: options.label } : {}) } })
          .then((r): InputTurn => ({ status: r.status, text: r.text, turnId: r.turnId }));
        this.track(turn);
        return turn;
      },
      end: (reason) => {
        if (ended) return;
        ended = true;
        void this.whenSettled().then(() => {
          if (host.triggerCount() === 0) return host.stop(reason);
        });
      },
      warn: (message) => host.emit({ type: 'warning', code: 'INPUT_WARNING', message: `input '${input.kind}': ${message}` }),
    };
  }

  private track(turn: Promise<unknown>): void {
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Every submitted turn has ended (turns submitted meanwhile included). */
  private async whenSettled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }
}
