/**
 * A sub-agent as the parent sees it: a tool named after it, taking a task.
 * Running it builds a small creature of its own — a fresh conversation, its
 * prompt and tool allow-list, the parent's model unless it names another —
 * and runs one turn on the task within its budget (rounds, tool calls,
 * time). Its events go to the parent's bus under its own agent path; its
 * final answer is the tool's result; its conversation is kept for the
 * session. Cancelling the call (turn interrupted, stop_task) cancels it.
 */
import { z } from 'zod';
import type { Env } from '../home.js';
import { PluginBlockError } from '../errors.js';
import { addUsage, emptyUsage, type Usage } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { RetryPolicy } from '../llm/retry.js';
import type { ToolCallFormat } from '../parsing/format.js';
import { buildSystemPrompt } from '../prompt/build.js';
import { currentEnvironment } from '../prompt/environment.js';
import { tool } from '../tools/define.js';
import { lazySchema } from '../util/lazy-schema.js';
import type { ToolRuntime } from '../tools/runtime.js';
import type { ToolContext, ToolOutput, ToolSession } from '../tools/tool.js';
import { scopedContext, type CreatureContext } from './context.js';
import type { ControllerSettings, IterationBudget } from './controller.js';
import { CreatureCore } from './core.js';
import { Conversation } from './conversation.js';
import { Executor, type ToolBinding } from './executor.js';
import { formatHints } from './knowledge.js';
import type { SubagentDefinition } from './subagent-catalog.js';
import { monotonicMs } from '../util/clock.js';

/** Budgets of a sub-agent that names none, as in the original. */
export const DEFAULT_SUBAGENT_TURNS = 40;
export const DEFAULT_SUBAGENT_TOOL_CALLS = 100;

/** What a sub-agent borrows from the creature that runs it. */
export interface SubagentHost {
  sessionId: string;
  cwd: string;
  env: Env;
  session: ToolSession;
  allowedPaths: readonly string[];
  /** Docs and skills; no job store: a sub-agent's own calls run in the foreground. */
  runtime: ToolRuntime;
  /** The creature's context: its bus, plugins, interactions and session. Each run gets it with a scoped emitter. */
  context: CreatureContext;
  settings: ControllerSettings;
  retry: RetryPolicy;
  budget?: IterationBudget;
  format?: ToolCallFormat;
  /** `max_subagent_depth`; 0 = unlimited. */
  maxDepth: number;
  definitions: ReadonlyMap<string, SubagentDefinition>;
  providerFor(definition: SubagentDefinition): Provider;
  /** Its own tools, built from the catalog when the creature was built. */
  toolsFor(definition: SubagentDefinition): ToolBinding[];
  /** The creature's token totals: what sub-agents spend counts there too. */
  totals: Usage;
}

const TASK = 'The whole task, self-contained: the sub-agent sees nothing of your conversation. Say what to do, where, and what to report back.';

/**
 * Every sub-agent tool's input. Its JSON Schema is written out (what
 * `jsonSchemaOf` makes of the zod schema; test/engine/creature/subagent-tool.test.ts
 * compares them), so building a creature converts nothing and the zod schema
 * is built only when a call is validated.
 */
export const SUBAGENT_INPUT_JSON = { type: 'object', properties: { task: { type: 'string', minLength: 1, description: TASK } }, required: ['task'] };
export const subagentInput = lazySchema(
  () => z.object({ task: z.string().min(1).describe(TASK) }),
  () => SUBAGENT_INPUT_JSON,
);

/**
 * The tool (and its executor binding) that hands tasks to `definition`, at
 * `depth` (1 = the creature's own sub-agents); `parent` is the context of
 * whoever holds the tool (the creature, or a sub-agent for nested ones).
 */
export function subagentBinding(definition: SubagentDefinition, host: SubagentHost, parentPath: readonly string[], depth: number, parent: CreatureContext = host.context): ToolBinding {
  const callable = tool({
    name: definition.name,
    description: definition.description,
    doc: subagentDoc(definition),
    input: subagentInput,
    execute: ({ task }, ctx) => runSubagent(definition, task, ctx, host, parentPath, depth, parent),
  });
  return {
    tool: callable,
    backgroundByDefault: definition.background ?? true,
    jobKind: 'subagent',
    ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
  };
}

async function runSubagent(
  definition: SubagentDefinition,
  given: string,
  ctx: ToolContext,
  host: SubagentHost,
  parentPath: readonly string[],
  depth: number,
  parent: CreatureContext,
): Promise<ToolOutput> {
  const path = [...parentPath, definition.name];
  const turnId = parent.emitter.currentTurnId;
  const jobId = ctx.jobId ?? ctx.callId;
  const started = monotonicMs();
  const hooks = host.context.hooks;
  const provider = host.providerFor(definition);
  const scope = { agentPath: parentPath, model: provider.id, turnId, name: definition.name, jobId, background: ctx.jobId !== undefined };
  let task = given;
  if (hooks.has('preSubagentRun')) {
    try {
      task = await hooks.transform('preSubagentRun', given, scope);
    } catch (error) {
      if (error instanceof PluginBlockError) return { output: `Sub-agent ${definition.name} was not run: ${error.message}`, isError: true, metadata: { subagent: definition.name, blocked: error.plugin ?? 'plugin' } };
      throw error;
    }
  }
  parent.emitter.emit({ type: 'subagent.start', name: definition.name, jobId, callId: ctx.callId, task, background: ctx.jobId !== undefined, depth }, turnId);

  // The run's own context: the creature's, emitting under the sub-agent's path and this run's id.
  const context = scopedContext(host.context, path, jobId, turnId);
  const deeper = host.maxDepth === 0 || depth < host.maxDepth;
  const nested = deeper
    ? (definition.subagents ?? []).flatMap((name) => {
        const child = host.definitions.get(name);
        return child ? [subagentBinding(child, host, path, depth + 1, context)] : [];
      })
    : [];
  const bindings = [...host.toolsFor(definition), ...nested];
  const executor = new Executor(bindings, {
    cwd: host.cwd,
    creature: path.join('/'),
    session: host.session,
    env: host.env,
    allowedPaths: host.allowedPaths,
    runtime: host.runtime,
    hooks,
    scope: () => ({ agentPath: path, model: provider.id, turnId }),
  });
  const systemPrompt = buildSystemPrompt({
    base: definition.systemPrompt,
    tools: bindings.map((b) => b.tool),
    hints: formatHints(host.format, executor),
    environment: currentEnvironment(host.cwd),
  });
  const conversation = new Conversation(systemPrompt);
  const usage = emptyUsage();
  const core = new CreatureCore(
    {
      provider,
      conversation,
      executor,
      settings: definition.temperature === undefined ? host.settings : { ...host.settings, temperature: definition.temperature },
      limits: { maxSteps: definition.maxTurns ?? DEFAULT_SUBAGENT_TURNS, maxToolCalls: definition.maxToolCalls ?? DEFAULT_SUBAGENT_TOOL_CALLS },
      retry: host.retry,
      totals: usage,
      purpose: 'subagent',
      callId: ctx.callId,
      ...(host.budget ? { budget: host.budget } : {}),
      ...(host.format ? { format: host.format } : {}),
    },
    context,
  );
  const result = await core.runTurn({
    turnId: turnId ?? jobId,
    turnIndex: 1,
    branch: 1,
    sessionId: host.sessionId,
    input: task,
    source: 'system',
    signal: ctx.signal,
  });
  addUsage(host.totals, usage);
  host.context.session.saveRun({ name: definition.name, jobId, status: result.status, messages: [...conversation.messages] });
  parent.emitter.emit(
    {
      type: 'subagent.end',
      name: definition.name,
      jobId,
      callId: ctx.callId,
      status: result.status,
      text: result.text,
      usage: result.usage,
      steps: result.steps,
      toolCalls: result.toolCalls.length,
      durationMs: Math.round(monotonicMs() - started),
      ...(result.limit ? { limit: result.limit } : {}),
    },
    turnId,
  );

  let text = result.text;
  if (hooks.has('postSubagentRun')) text = (await hooks.transform('postSubagentRun', { text, status: result.status }, scope)).text;
  const answer = text.trim() || '(the sub-agent ended without a final answer)';
  const metadata = { subagent: definition.name, status: result.status, steps: result.steps, toolCalls: result.toolCalls.length, usage: result.usage };
  if (result.status === 'error') {
    return { output: `Sub-agent ${definition.name} failed: ${result.error?.message ?? 'unknown error'}${text ? `\nIts last words: ${text}` : ''}`, isError: true, metadata };
  }
  if (result.status === 'limit') {
    return { output: `${answer}\n[sub-agent ${definition.name} stopped at its ${result.limit} limit after ${result.steps} rounds and ${result.toolCalls.length} tool calls; the report may be incomplete]`, metadata };
  }
  return { output: answer, metadata };
}

function subagentDoc(definition: SubagentDefinition): string {
  const tools = definition.tools.length ? definition.tools.join(', ') : 'none';
  return [
    definition.description,
    '',
    `Sub-agent: give it one self-contained task; it works alone with its own tools (${tools})${definition.canModify ? ' and may change files' : ' and does not change files'}, then reports back.`,
    `Budget: ${definition.maxTurns ?? DEFAULT_SUBAGENT_TURNS} LLM rounds, ${definition.maxToolCalls ?? DEFAULT_SUBAGENT_TOOL_CALLS} tool calls${definition.timeoutMs ? `, ${definition.timeoutMs / 1000}s` : ''}.`,
    (definition.background ?? true)
      ? 'It runs in the background by default: you get a job id now and its report in a later message. Pass run_in_background: false to wait for the report.'
      : 'It runs in the foreground by default: its report is the result of the call.',
  ].join('\n');
}

