/**
 * Asking a person before a tool changes files or runs programs. The UI
 * supplies the asking (`ask`); this gate decides when to ask, by the
 * approval mode and the answers already given ("always" holds for that
 * tool for the rest of the session), and puts questions one at a time.
 */
import type { ToolEffect } from './tool.js';

/** `default`: ask for edits and commands; `auto-edit`: ask for commands only; `yolo`: never ask. */
export const APPROVAL_MODES = ['default', 'auto-edit', 'yolo'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export type ApprovalDecision = 'once' | 'always' | 'deny';

export interface ApprovalRequest {
  tool: string;
  effect: ToolEffect;
  args: unknown;
  /** Which creature or sub-agent is asking, outermost first. */
  agentPath: readonly string[];
}

export type AskApproval = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export class ApprovalGate {
  private readonly always = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private mode: ApprovalMode,
    private readonly ask: AskApproval,
  ) {}

  setMode(mode: ApprovalMode): void {
    this.mode = mode;
  }

  needsAsking(tool: string, effect: ToolEffect | undefined): boolean {
    if (!effect || this.mode === 'yolo' || this.always.has(tool)) return false;
    return !(this.mode === 'auto-edit' && effect === 'edit');
  }

  /** True when the call may run. One question at a time; an abort while waiting counts as a denial. */
  async approve(request: ApprovalRequest, signal: AbortSignal): Promise<boolean> {
    if (!this.needsAsking(request.tool, request.effect)) return true;
    const turn = this.queue.then(async () => {
      // An earlier answer in the queue may have been "always".
      if (!this.needsAsking(request.tool, request.effect)) return true;
      if (signal.aborted) return false;
      const decision = await this.ask(request, signal).catch(() => 'deny' as const);
      if (decision === 'always') this.always.add(request.tool);
      return decision !== 'deny';
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
