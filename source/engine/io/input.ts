/**
 * The input module contract. An input module is where a creature's turns
 * come from when no surface drives it: lines on stdin, HTTP requests, a chat
 * service. It submits input and may wait for the answer (a webhook replies
 * with it). `cli` is the surface's own input (the terminal app or the
 * REPL), so the engine runs no module for it.
 */
import type { InputSource, TurnStatus } from '../events.js';
import type { UserContent } from '../llm/messages.js';
import type { Clock } from '../util/clock.js';

/** A turn's outcome as an input module sees it. */
export interface InputTurn {
  status: TurnStatus;
  text: string;
  turnId: string;
}

export interface InputContext {
  /** The creature's name. */
  readonly creature: string;
  readonly cwd: string;
  readonly clock: Clock;
  /** Aborts when the creature stops. */
  readonly signal: AbortSignal;
  /** Run a turn with this input (after the running and queued ones); resolves when it ends. */
  submit(content: UserContent, options?: { source?: InputSource; label?: string }): Promise<InputTurn>;
  /** The input has ended (stdin closed): the creature stops once its turns are done, unless triggers keep it alive. */
  end(reason: string): void;
  /** Something the user should know (a refused request). */
  warn(message: string): void;
}

export interface InputModule {
  /** `stdin_lines`, `webhook`, ... or a custom module's own name. */
  readonly kind: string;
  /** One line for the UI ("POST 127.0.0.1:8788/"). */
  describe?(): string;
  /** Begin reading; resolve once ready (a server listening). Throwing is a clear start-time error (a port in use). */
  start(ctx: InputContext): void | Promise<void>;
  /** Release what `start` took; called once when the creature stops. */
  stop?(): void | Promise<void>;
}
