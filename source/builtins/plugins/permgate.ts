/**
 * `permgate`: ask before a tool changes files or runs programs. The
 * approval gate of the terminal app, as a plugin: the question goes out as an
 * `interaction.request` of kind `approval` that any surface answers
 * (`once`, `always` or `deny`), one question at a time.
 *
 * - `mode`: `default` asks for edits and commands, `auto-edit` for commands
 *   only, `plan` refuses both (the model is told to present a plan first),
 *   `yolo` asks for nothing.
 * - `tools`: which calls are gated: `effects` (tools that edit or execute,
 *   the default), `all`, or a list of names (gated as commands).
 * - `allow` / `whitelist`: names or `*` patterns that never ask.
 * - `auto_approve_pattern`: a regular expression; a call whose JSON
 *   arguments match runs unasked.
 * - The project's `.kt/settings.json` `permissions.allow` / `permissions.deny`
 *   rules (`bash(git diff:*)`, `edit(src/**)`): a call a deny rule covers is
 *   refused in every mode; one an allow rule covers runs unasked. A
 *   "don't ask again" answer that carries rules adds them to the allow list
 *   there; a refusal that carries a message passes the person's words on.
 *
 * With nobody attached to answer (a pipe, CI) a gated call is refused and the
 * model is told which mode would allow it; a `warning` (code
 * APPROVAL_UNATTENDED) lets the CLI say so on stderr. A surface that breaks
 * while asking is reported as such, never as the user's "no".
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { NoAnswerError, PluginBlockError } from '../../engine/errors.js';
import { plugin } from '../../engine/plugins/define.js';
import { APPROVAL_MODES, ApprovalGate, modeAllowing, planModeRefusal, refusedInPlan, type ApprovalAnswer, type ApprovalDecision, type ApprovalRequest } from '../../engine/tools/approval.js';
import type { ToolEffect } from '../../engine/tools/tool.js';
import { addProjectRules, projectRules, projectSettingsPath } from '../permissions/project-settings.js';
import { judge, parseRule, type PermissionRule } from '../permissions/rules.js';

const options = lazySchema(() => z
  .object({
    mode: z.enum(APPROVAL_MODES).default('default'),
    tools: z.union([z.enum(['effects', 'all']), z.array(z.string().min(1))]).default('effects'),
    allow: z.array(z.string().min(1)).default([]),
    whitelist: z.array(z.string().min(1)).default([]),
    auto_approve_pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .strict(), undefined, quickOptions);

/**
 * What kt passes on every run, `{ mode, allow }` with names, answered without
 * building the schema above (zod is ~5 ms of a one-turn `kt run`); the test
 * holds it to the schema's answers, and anything else goes to the schema.
 */
export function quickOptions(input: unknown): { data: unknown } | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const { mode, allow, ...rest } = input as { mode?: unknown; allow?: unknown };
  if (Object.keys(rest).length) return undefined;
  if (!APPROVAL_MODES.includes(mode as (typeof APPROVAL_MODES)[number])) return undefined;
  if (allow !== undefined && !(Array.isArray(allow) && allow.every((name) => typeof name === 'string' && name.length > 0))) return undefined;
  return { data: { mode, tools: 'effects', allow: allow ? [...(allow as string[])] : [], whitelist: [] } };
}

/** How surfaces may answer: the decisions, answers with rules or a message, and the plain words people type. */
function answerOf(reply: unknown): ApprovalAnswer {
  if (reply && typeof reply === 'object') {
    const r = reply as { decision?: unknown; rules?: unknown; message?: unknown };
    if (r.decision === 'always' && Array.isArray(r.rules) && r.rules.length) return { decision: 'always', rules: r.rules.map(String) };
    if (r.decision === 'deny' && typeof r.message === 'string' && r.message.trim()) return { decision: 'deny', message: r.message.trim() };
    return decisionOf(r.decision);
  }
  return decisionOf(reply);
}

function decisionOf(reply: unknown): ApprovalDecision {
  if (reply === true) return 'once';
  const word = String(reply ?? '').toLowerCase();
  if (word === 'always' || word === 'a') return 'always';
  if (['once', 'approve', 'approved', 'allow', 'yes', 'y'].includes(word)) return 'once';
  return 'deny';
}

export const permgatePlugin = plugin({
  name: 'permgate',
  description: 'Ask before tools change files or run commands',
  priority: 100,
  options,
  setup(ctx) {
    const o = ctx.options;
    const autoApprove = o.auto_approve_pattern ? new RegExp(o.auto_approve_pattern) : undefined;
    const listed = Array.isArray(o.tools) ? new Set(o.tools) : undefined;
    const remembered = ctx.state.get<string[]>('always') ?? [];
    const rules = { allow: [] as PermissionRule[], deny: [] as PermissionRule[] };
    try {
      Object.assign(rules, projectRules(ctx.cwd));
    } catch (error) {
      // A broken settings file must not take the gate down with it: everything is asked, and the person is told why.
      ctx.emit({ type: 'warning', code: 'PROJECT_SETTINGS', message: `${(error as Error).message} (its permission rules are ignored until it is fixed)` });
    }
    rules.allow.push(...(ctx.state.get<string[]>('rules') ?? []).map((text) => parseRule(text)));
    // The person's words for the model, by the request they refused.
    const refusals = new WeakMap<ApprovalRequest, string>();
    const remember = (texts: string[]): void => {
      rules.allow.push(...texts.map((text) => parseRule(text)));
      ctx.state.set('rules', [...new Set([...(ctx.state.get<string[]>('rules') ?? []), ...texts])]);
      try {
        addProjectRules(ctx.cwd, 'allow', texts);
      } catch (error) {
        ctx.emit({ type: 'warning', code: 'PROJECT_SETTINGS', message: `${texts.join(', ')} holds for this session only: ${(error as Error).message}` });
      }
    };
    const gate = new ApprovalGate(
      o.mode,
      async (request, signal) => {
        if (!ctx.interactions) throw new NoAnswerError('approval');
        const answer = answerOf(await ctx.interactions.request('approval', { tool: request.tool, effect: request.effect, args: request.args, agentPath: [...request.agentPath], ...(request.callId ? { callId: request.callId } : {}) }, signal));
        if (typeof answer === 'string') return answer;
        if (answer.decision === 'always') {
          remember(answer.rules);
          return 'once';
        }
        refusals.set(request, answer.message);
        return 'deny';
      },
      {
        allow: [...o.allow, ...o.whitelist],
        always: remembered,
        onAlways: (tool) => ctx.state.set('always', [...new Set([...(ctx.state.get<string[]>('always') ?? []), tool])]),
      },
    );
    const effectOf = (tool: string, effect: ToolEffect | undefined): ToolEffect | undefined => {
      if (o.tools === 'effects') return effect;
      if (o.tools === 'all' || listed?.has(tool)) return effect ?? 'execute';
      return undefined;
    };
    const warned = new Set<string>();

    return {
      async preToolExecute(args, info) {
        // The tool's own effect decides here: reading stays allowed in plan mode even when `tools: all` gates reads.
        if (refusedInPlan(gate.currentMode, info.effect)) throw new PluginBlockError(planModeRefusal(info.toolName));
        const effect = effectOf(info.toolName, info.effect);
        const ruled = judge(rules, { tool: info.toolName, effect: info.effect, args }, ctx.cwd);
        if (ruled?.verdict === 'deny') {
          throw new PluginBlockError(
            `this ${info.toolName} call is denied by the rule ${ruled.rule.text} in ${projectSettingsPath(ctx.cwd)}. Do not retry it; take another approach or tell the user.`,
          );
        }
        if (ruled?.verdict === 'allow') return;
        if (!effect || !gate.needsAsking(info.toolName, effect)) return;
        if (autoApprove?.test(JSON.stringify(args) ?? '')) return;
        const signal = info.signal ?? new AbortController().signal;
        const attended = ctx.interactions !== undefined;
        const request: ApprovalRequest = { tool: info.toolName, effect, args, agentPath: info.agentPath, callId: info.callId };
        const verdict = attended ? await gate.decide(request, signal) : 'unattended';
        if (verdict === 'allowed') return;
        if (verdict === 'unattended') {
          const mode = modeAllowing(effect);
          const what = effect === 'edit' ? 'changes files' : 'runs commands';
          if (!warned.has(effect)) {
            warned.add(effect);
            const kind = effect === 'edit' ? 'file edits' : 'commands';
            const flag = effect === 'edit' ? '--approval-mode auto-edit (edits) or yolo (edits and commands)' : '--approval-mode yolo';
            ctx.emit({
              type: 'warning',
              code: 'APPROVAL_UNATTENDED',
              message: `refused ${info.toolName}: ${kind} need approval and nobody can give it here; pass ${flag} or list the tool in the creature's controller.allow`,
            });
          }
          throw new PluginBlockError(
            `${info.toolName} ${what}, which needs approval, and nobody can approve it in this run. Do not retry it; ` +
              `do what you can without it and tell the user it needs approval mode ${mode} (kt --approval-mode ${mode}) or the creature's controller.allow list.`,
          );
        }
        if (verdict === 'denied') {
          const instead = refusals.get(request);
          if (instead) throw new PluginBlockError(`the user did not allow this ${info.toolName} call and said what to do instead: ${instead}`);
          const why = signal.aborted ? 'the turn was interrupted while this call waited for approval' : `the user did not allow this ${info.toolName} call`;
          throw new PluginBlockError(`${why}. Do not retry it unchanged; ask the user what they want, or take another approach.`);
        }
        throw new PluginBlockError(`approval for ${info.toolName} could not be obtained: ${verdict.failed}. The call did not run.`);
      },
    };
  },
});
