/**
 * The parts `Agent.build` assembles before the agent exists: definition,
 * tools, provider, sub-agents, skills, executor, job store and the system
 * prompt. Nothing here writes anything, so a bad config fails with no side
 * effects; the session file is opened by the caller, last.
 *
 * The job store and the sub-agents report through the agent, which is made
 * after these parts: they talk to a `Hub` whose hooks the agent fills in.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../config/paths.js';
import type { EventDraft } from '../events.js';
import type { Usage } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { ResolvedLLM } from '../llm/resolve.js';
import type { RetryPolicy } from '../llm/retry.js';
import { toolCatalog } from '../tools/catalog.js';
import { toolEnvironment } from './tool-env.js';
import type { ToolRuntime } from '../tools/runtime.js';
import { definitionFrom, type AgentRef } from './agent-build.js';
import type { BuildOptions } from './agent-options.js';
import { prepareSubagents } from './agent-subagents.js';
import { bindTools, llmFor, retryPolicyFor, settingsFor, workingDirectory } from './assemble.js';
import type { ControllerSettings, IterationBudget } from './controller.js';
import { Executor } from './executor.js';
import { JobStore } from './job-store.js';
import { assembleSystemPrompt, creatureSkills, describer, formatHints } from './knowledge.js';
import { subagentCatalog } from './subagent-catalog.js';
import { subagentBinding, type SubagentHost } from './subagent-tool.js';

/** What the parts need from the agent once it exists. */
export interface Hub {
  emit?(draft: EventDraft, turnId: string | null, agentPath?: readonly string[]): void;
  emitOutsideTurn?(draft: EventDraft): void;
  deliverJobs?(): void;
  activeTurnId?(): string | null;
  addUsage?(usage: Usage): void;
  saveRun?: SubagentHost['saveRun'];
}

export interface AgentParts {
  definition: CreatureDefinition;
  cwd: string;
  env: Env;
  provider: Provider;
  resolved: ResolvedLLM | undefined;
  executor: Executor;
  jobs: JobStore;
  runtime: ToolRuntime;
  systemPrompt: string;
  settings: ControllerSettings;
  retry: RetryPolicy;
  budget: IterationBudget | undefined;
  /** Shared by the creature's tools and its sub-agents'; the id is settled once the session is open. */
  session: { id: string; state: Map<string, unknown> };
  skillWarnings: string[];
  hub: Hub;
}

export async function assembleParts(ref: AgentRef, options: BuildOptions): Promise<AgentParts> {
  const env = options.env ?? process.env;
  const cwd = workingDirectory(options.pwd);
  const definition = definitionFrom(ref, env, cwd);
  const catalog = options.catalog ?? toolCatalog;
  const bindings = await bindTools(definition, catalog, options.tools ?? [], cwd);
  const { provider, resolved } = await llmFor(definition, options.llm, env);
  const subagents = await prepareSubagents(definition, {
    tools: catalog,
    subagents: options.subagentCatalog ?? subagentCatalog,
    cwd,
    env,
    provider,
    toolNames: bindings.map((b) => b.tool.name),
  });
  const skills = await creatureSkills(definition, cwd, env);
  // What tools' child processes see: the environment without kt's credentials (see tool-env.ts).
  const toolEnv = toolEnvironment(env, {
    ...(definition.controller.env_passthrough ? { passthrough: definition.controller.env_passthrough } : {}),
    ...(definition.controller.env_deny ? { deny: definition.controller.env_deny } : {}),
    ...(definition.controller.api_key_env ? { keyVariable: definition.controller.api_key_env } : {}),
  });
  const allowPrivateNetwork = definition.config.web?.allow_private === true;
  const allowedPaths = [...definition.allowedPaths, ...(options.allowedPaths ?? []).map((p) => resolve(cwd, p))];
  const session: AgentParts['session'] = { id: '', state: new Map() };
  const hub: Hub = {};
  const jobs = new JobStore({ emit: (draft) => hub.emitOutsideTurn?.(draft), onFinished: () => hub.deliverJobs?.() });
  const settings = settingsFor(definition, resolved);
  const retry = retryPolicyFor(definition.controller.retry_policy, options.retry);
  const budget: IterationBudget | undefined = definition.maxIterations ? { remaining: definition.maxIterations } : undefined;
  const callable = bindings.map((b) => b.tool);
  const host: SubagentHost = {
    get sessionId() {
      return session.id;
    },
    cwd,
    env: toolEnv,
    session,
    allowedPaths,
    runtime: {
      skills: skills.registry.view(),
      allowPrivateNetwork,
      ...describer(callable, skills.registry),
      // Sub-agents' edits and commands go through the same approvals as the creature's.
      get approvals() {
        return runtime.approvals;
      },
    },
    settings,
    retry,
    ...(budget ? { budget } : {}),
    ...(definition.toolFormat ? { format: definition.toolFormat } : {}),
    maxDepth: definition.maxSubagentDepth,
    definitions: subagents.definitions,
    providerFor: subagents.providerFor,
    toolsFor: subagents.toolsFor,
    currentTurnId: () => hub.activeTurnId?.() ?? null,
    emit: (draft, turnId, agentPath) => hub.emit?.(draft, turnId, agentPath),
    addUsage: (usage) => hub.addUsage?.(usage),
    saveRun: (run) => hub.saveRun?.(run),
  };
  const delegates = subagents.direct.map((d) => subagentBinding(d, host, [definition.name], 1));
  const everything = [...callable, ...delegates.map((b) => b.tool)];
  const runtime: ToolRuntime = { jobs, skills: skills.registry.view(), ...describer(everything, skills.registry), allowPrivateNetwork };
  const executor = new Executor([...bindings, ...delegates], { cwd, creature: definition.name, session, env: toolEnv, allowedPaths, jobs, runtime });
  const systemPrompt = await assembleSystemPrompt({
    definition,
    base: options.systemPrompt ?? definition.systemPrompt,
    tools: everything,
    skills: skills.registry,
    cwd,
    hints: formatHints(definition.toolFormat, executor),
    ...(options.projectInstructions === false ? { projectInstructions: false } : {}),
  });
  return { definition, cwd, env, provider, resolved, executor, jobs, runtime, systemPrompt, settings, retry, budget, session, skillWarnings: skills.warnings, hub };
}

/** A session id for agents without a session file. */
export const ephemeralSessionId = () => `session_${randomBytes(6).toString('hex')}`;
