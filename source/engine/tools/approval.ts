/**
 * Asking a person before a tool changes files or runs programs. The UI
 * supplies the asking (`ask`); this gate decides when to ask, by the
 * approval mode, the creature's allow list (`controller.allow`) and the
 * answers already given ("always" holds for that tool for the rest of the
 * session), and puts questions one at a time.
 *
 * A gate without `ask` is for runs nobody watches (`kt run -p` in a script,
 * piped stdin, CI): whatever would need a question is refused instead, so a
 * scripted run is as safe as an attended one unless its flags say otherwise.
 */
import { NoAnswerError } from '../errors.js';
import type { ToolEffect } from './tool.js';

/**
 * `default`: ask for edits and commands; `auto-edit`: ask for commands only;
 * `plan`: refuse edits and commands (the creature reads and presents a plan
 * until the user switches mode); `yolo`: never ask. In cycling order.
 */
export const APPROVAL_MODES = ['default', 'auto-edit', 'plan', 'yolo'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export type ApprovalDecision = 'once' | 'always' | 'deny';

/**
 * A decision with more to it, from a surface that offers it: allow now and
 * remember `rules` (permission patterns such as `bash(git status:*)`, narrower
 * than the whole tool), or refuse with `message`, the person's words for the model.
 */
export type ApprovalAnswer = ApprovalDecision | { decision: 'always'; rules: string[] } | { decision: 'deny'; message: string };

/**
 * `unattended`: the call needed a question and nobody can answer one;
 * `failed`: whoever answers broke while asking (never taken for a denial).
 */
export type ApprovalVerdict = 'allowed' | 'denied' | 'unattended' | { failed: string };

export interface ApprovalRequest {
  tool: string;
  effect: ToolEffect;
  args: unknown;
  /** Which creature or sub-agent is asking, outermost first. */
  agentPath: readonly string[];
  /** The tool call waiting for the answer (surfaces show it as waiting, not running). */
  callId?: string;
}

export type AskApproval = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;

export interface ApprovalGateOptions {
  /** Tool names, or patterns with `*`, that run without asking (`controller.allow`). */
  allow?: readonly string[];
  /** Tools answered "always" earlier in this session. */
  always?: readonly string[];
  /** Told when a tool is answered "always", so it can be remembered. */
  onAlways?: (tool: string) => void;
}

export class ApprovalGate {
  private readonly always = new Set<string>();
  private readonly allow: RegExp[];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly mode: ApprovalMode,
    private readonly ask: AskApproval | undefined,
    private readonly options: ApprovalGateOptions = {},
  ) {
    this.allow = (options.allow ?? []).map(toolPattern);
    for (const tool of options.always ?? []) this.always.add(tool);
  }

  get currentMode(): ApprovalMode {
    return this.mode;
  }

  needsAsking(tool: string, effect: ToolEffect | undefined): boolean {
    // In plan mode nothing is asked: whatever changes anything is refused (see `refusedInPlan`).
    if (!effect || this.mode === 'yolo' || this.mode === 'plan' || this.always.has(tool)) return false;
    if (this.allow.some((pattern) => pattern.test(tool))) return false;
    return !(this.mode === 'auto-edit' && effect === 'edit');
  }

  /** Whether the call may run, and why not. One question at a time; an abort while waiting counts as a denial. */
  async decide(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalVerdict> {
    if (!this.needsAsking(request.tool, request.effect)) return 'allowed';
    const ask = this.ask;
    if (!ask) return 'unattended';
    const turn = this.queue.then(async (): Promise<ApprovalVerdict> => {
      // An earlier answer in the queue may have been "always".
      if (!this.needsAsking(request.tool, request.effect)) return 'allowed';
      if (signal.aborted) return 'denied';
      let answer: ApprovalAnswer;
      try {
        answer = await ask(request, signal);
      } catch (error) {
        if (signal.aborted) return 'denied';
        if (error instanceof NoAnswerError) return 'unattended';
        return { failed: error instanceof Error ? error.message : String(error) };
      }
      // Rules and messages are for whoever understands them (permgate); here they count as once / deny.
      if (answer === 'always') {
        this.always.add(request.tool);
        this.options.onAlways?.(request.tool);
      }
      const decision = typeof answer === 'string' ? answer : answer.decision;
      return decision === 'deny' ? 'denied' : 'allowed';
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/**
 * Plan mode refuses every edit and command, whatever the allow list or an
 * earlier "always" says: the user asked to see a plan before anything changes.
 */
export function refusedInPlan(mode: ApprovalMode, effect: ToolEffect | undefined): boolean {
  return mode === 'plan' && effect !== undefined;
}

/** What the model is told when plan mode refuses a call. */
export function planModeRefusal(tool: string): string {
  return (
    `plan mode is on: ${tool} would change files or run a command, and nothing may change until the user accepts a plan. ` +
    'Do not retry it. Read what you need, then present your plan (the steps and the files you would change) and stop; ' +
    'the user switches the approval mode when they accept it.'
  );
}

/** The flag value that lets a refused effect run: `auto-edit` covers edits, only `yolo` covers commands. */
export function modeAllowing(effect: ToolEffect): ApprovalMode {
  return effect === 'edit' ? 'auto-edit' : 'yolo';
}

function toolPattern(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
