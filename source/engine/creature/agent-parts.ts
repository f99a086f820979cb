/**
 * The parts of a creature, assembled from its definition and its context
 * before the `Agent` exists: tools, provider, sub-agents, skills, executor,
 * job store, system prompt, controller settings. Nothing here writes
 * anything, so a bad config fails with no side effects; the session file is
 * opened by the caller, last.
 *
 * Everything the parts report through (events, plugins, the session, the
 * running turn) comes in the `CreatureContext`, built first: nothing is
 * filled in after construction.
 */
import { randomHex } from '../util/random-id.js';
import { resolve } from 'node:path';
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import type { PackageIndex } from '../packages/registry.js';
import type { Usage } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { ResolvedLLM } from '../llm/resolve.js';
import type { RetryPolicy } from '../llm/retry.js';
import { toolCatalog } from '../tools/catalog.js';
import type { GroupControl, ToolRuntime, TriggerControl } from '../tools/runtime.js';
import type { BuildOptions } from './agent-options.js';
import { prepareSubagents } from './agent-subagents.js';
import { bindTools, llmFor, retryPolicyFor, settingsFor } from './assemble.js';
import type { CreatureContext } from './context.js';
import type { ControllerSettings, IterationBudget } from './controller.js';
import { Executor } from './executor.js';
import { JobStore } from './job-store.js';
import { assembleSystemPrompt, creatureSkills, describer, formatHints } from './knowledge.js';
import { subagentCatalog } from './subagent-catalog.js';
import { subagentBinding, type SubagentHost } from './subagent-tool.js';
import { toolEnvironment } from './tool-env.js';

export interface AgentParts {
  provider: Provider;
  resolved: ResolvedLLM | undefined;
  executor: Executor;
  jobs: JobStore;
  runtime: ToolRuntime;
  systemPrompt: string;
  settings: ControllerSettings;
  retry: RetryPolicy;
  budget: IterationBudget | undefined;
  /** What the creature's tools (and its sub-agents') share: read-state, the scratchpad, the session path. */
  toolSession: { id: string; state: Map<string, unknown> };
  skillWarnings: string[];
}

export interface PartsInput {
  definition: CreatureDefinition;
  cwd: string;
  env: Env;
  sessionId: string;
  context: CreatureContext;
  /** The creature's token totals; sub-agents add theirs here too. */
  totals: Usage;
  /** Runs when a background job that notifies has ended (the agent delivers the results). */
  onJobFinished(): void;
  /** The model hooks see now (it changes with `switchModel`); default: the one built with. */
  currentModel?: () => string;
  /** The creature's triggers, for the setup tools. */
  triggers?: TriggerControl;
  /** The creature's team (a terrarium member). */
  group?: GroupControl;
  /** The build's package index (default: a fresh look at the packages home). */
  packages?: PackageIndex;
}

export async function assembleParts(input: PartsInput, options: BuildOptions): Promise<AgentParts> {
  const { definition, cwd, env, context } = input;
  const catalog = options.catalog ?? toolCatalog;
  const bindings = await bindTools(definition, catalog, options.tools ?? [], cwd);
  const { provider, resolved } = await llmFor(definition, options.allModels ?? options.llm, env);
  // The id hooks see: `provider/preset@variation` when resolved from a name, else the provider's own.
  const model = resolved?.id ?? provider.id;
  const subagents = await prepareSubagents(definition, {
    tools: catalog,
    subagents: options.subagentCatalog ?? subagentCatalog,
    cwd,
    env,
    provider,
    ...(options.allModels ? { only: options.allModels } : {}),
    toolNames: bindings.map((b) => b.tool.name),
  });
  const skills = await creatureSkills(definition, cwd, env, input.packages);
  // What tools' child processes see: the environment without kt's credentials (see tool-env.ts).
  const toolEnv = toolEnvironment(env, {
    ...(definition.controller.env_passthrough ? { passthrough: definition.controller.env_passthrough } : {}),
    ...(definition.controller.env_deny ? { deny: definition.controller.env_deny } : {}),
    ...(definition.controller.api_key_env ? { keyVariable: definition.controller.api_key_env } : {}),
  });
  const allowPrivateNetwork = definition.config.web?.allow_private === true;
  const allowedPaths = [...definition.allowedPaths, ...(options.allowedPaths ?? []).map((p) => resolve(cwd, p))];
  const toolSession: AgentParts['toolSession'] = { id: input.sessionId, state: new Map() };
  const jobs = new JobStore({ emit: (draft) => context.emitter.emit(draft), onFinished: input.onJobFinished });
  const settings = settingsFor(definition, resolved);
  const retry = retryPolicyFor(definition.controller.retry_policy, options.retry);
  const budget: IterationBudget | undefined = definition.maxIterations ? { remaining: definition.maxIterations } : undefined;
  const callable = bindings.map((b) => b.tool);
  const host: SubagentHost = {
    sessionId: input.sessionId,
    cwd,
    env: toolEnv,
    session: toolSession,
    allowedPaths,
    runtime: { skills: skills.registry.view(), allowPrivateNetwork, ...describer(callable, skills.registry) },
    context,
    settings,
    retry,
    ...(budget ? { budget } : {}),
    ...(definition.toolFormat ? { format: definition.toolFormat } : {}),
    maxDepth: definition.maxSubagentDepth,
    definitions: subagents.definitions,
    providerFor: subagents.providerFor,
    toolsFor: subagents.toolsFor,
    totals: input.totals,
  };
  const delegates = subagents.direct.map((d) => subagentBinding(d, host, [definition.name], 1));
  const everything = [...callable, ...delegates.map((b) => b.tool)];
  const runtime: ToolRuntime = {
    jobs,
    skills: skills.registry.view(),
    ...describer(everything, skills.registry),
    allowPrivateNetwork,
    interactions: context.interactions,
    services: () => context.hooks.services(),
    ...(input.triggers ? { triggers: input.triggers } : {}),
    ...(input.group ? { group: input.group } : {}),
  };
  const executor = new Executor([...bindings, ...delegates], {
    cwd,
    creature: definition.name,
    session: toolSession,
    env: toolEnv,
    allowedPaths,
    jobs,
    runtime,
    hooks: context.hooks,
    scope: () => ({ agentPath: context.emitter.agentPath, model: input.currentModel?.() ?? model, turnId: context.emitter.currentTurnId }),
  });
  const systemPrompt = await assembleSystemPrompt({
    definition,
    ...(options.systemPrompt !== undefined ? { base: options.systemPrompt } : {}),
    model,
    tools: everything,
    skills: skills.registry,
    cwd,
    hints: formatHints(definition.toolFormat, executor, { skillMode: definition.controller.skill_mode ?? 'dynamic', overrides: definition.frameworkHintOverrides }),
    ...(options.projectInstructions === false ? { projectInstructions: false } : {}),
  });
  return { provider, resolved, executor, jobs, runtime, systemPrompt, settings, retry, budget, toolSession, skillWarnings: skills.warnings };
}

/** A session id for agents without a session file. */
export const ephemeralSessionId = () => `session_${randomHex(6)}`;
