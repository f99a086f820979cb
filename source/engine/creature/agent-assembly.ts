/**
 * What `Agent.build` does, in order:
 *
 *   1. the definition (config, reference or object) and the working folder;
 *   2. the creature's identity: a resumed session keeps its ids;
 *   3. the context: bus, emitter, plugin chain, interactions, session port;
 *   4. the parts (tools, provider, sub-agents, prompt) and the core;
 *   5. compaction, then the plugins (they may use it), loaded and set up;
 *   6. last, the session file, so a failed build writes nothing.
 */
import { randomHex } from '../util/random-id.js';
import type { ConfigWarning, CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import { emptyUsage, type Usage } from '../llm/messages.js';
import { ModelCatalog } from '../llm/profiles/catalog.js';
import type { Pricing } from '../llm/profiles/types.js';
import { pluginCatalog as defaultCatalog, type PluginCatalog } from '../plugins/catalog.js';
import { HookChain } from '../plugins/chain.js';
import { loadPlugins, type PluginHost } from '../plugins/load.js';
import { loadPackageExtensions } from '../package-modules/extensions.js';
import { packageIndex } from '../packages/registry.js';
import { definitionFrom, openingEvents, openSession, type AgentRef } from './agent-build.js';
import { wireCompaction, type CompactionWiring } from './agent-compaction.js';
import type { BuildOptions } from './agent-options.js';
import { assembleParts, ephemeralSessionId, type AgentParts } from './agent-parts.js';
import { pluginSpecs } from './agent-plugins.js';
import { limitsFor, workingDirectory } from './assemble.js';
import { EventBus } from './bus.js';
import { systemClock, type CreatureContext } from './context.js';
import { Conversation } from './conversation.js';
import { CreatureCore } from './core.js';
import { ActiveTurn, Emitter } from './emitter.js';
import { Interactions } from './interactions.js';
import { jobNotice } from './job-store.js';
import { overflowTrim } from './round-policies.js';
import { SessionPort } from './session-port.js';
import { TurnTree } from './turn-tree.js';
import { addConfigTriggers, wireTriggers, type TriggerWiring } from './agent-triggers.js';
import { buildIoModules, type IoModules } from './agent-io-modules.js';

/** Everything the Agent is made of. */
export interface AgentInternals {
  definition: CreatureDefinition;
  cwd: string;
  env: Env;
  creatureId: string;
  sessionId: string;
  bus: EventBus;
  turn: ActiveTurn;
  context: CreatureContext;
  core: CreatureCore;
  tree: TurnTree;
  totals: Usage;
  parts: AgentParts;
  compaction: CompactionWiring;
  pluginHost: PluginHost;
  pluginCatalog: PluginCatalog;
  modelId: string | undefined;
  warnings: ConfigWarning[];
  /** Tell hooks and tools which model the creature talks to now (`switchModel`). */
  setHookModel(model: string): void;
  /** Jobs that finished and want the model told; the agent subscribes. */
  jobsFinished: Set<() => void>;
  prepared: Awaited<ReturnType<typeof openSession>> | undefined;
  triggers: TriggerWiring;
  /** The prompt before keyed sections, and the sections (`setPromptSection` recomposes from them). */
  promptBase: string;
  promptSections: Map<string, string>;
  /** The input and output modules (made, not started). */
  io: IoModules;
}

export async function assembleAgent(ref: AgentRef, options: BuildOptions): Promise<AgentInternals> {
  const env = options.env ?? process.env;
  const cwd = workingDirectory(options.pwd);
  // One look at the packages home for the whole build (the reference, fragments, modules, skills).
  const packageView = packageIndex(env);
  const definition = definitionFrom(ref, env, cwd, packageView);
  // Installed packages' tools, plugins, triggers and io register before any name is looked up; a broken package only warns.
  const packages = await loadPackageExtensions(env, undefined, packageView);
  const name = definition.name;

  const identity = await existingIdentity(options, name);
  const sessionId = identity?.sessionId ?? options.sessionId ?? ephemeralSessionId();
  const creatureId = identity?.creatureId ?? `${name}_${randomHex(4)}`;

  const bus = new EventBus({ sessionId, creatureId, agentPath: [name] });
  const turn = new ActiveTurn();
  const emitter = new Emitter(bus, turn, [name]);
  let model = '';
  const hooks = new HookChain({ emit: (draft) => emitter.emit(draft), scope: () => ({ agent: name, model }) });
  const context: CreatureContext = {
    emitter,
    hooks,
    interactions: new Interactions((draft) => emitter.emit(draft), creatureId),
    session: new SessionPort(),
    clock: options.clock ?? systemClock,
  };
  const totals = emptyUsage();
  const jobsFinished = new Set<() => void>();
  const triggers = wireTriggers({
    definition,
    cwd,
    context,
    emit: (draft) => emitter.emit(draft),
    ...(options.triggerCatalog ? { catalog: options.triggerCatalog } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const parts = await assembleParts(
    {
      definition,
      cwd,
      env,
      sessionId,
      context,
      totals,
      onJobFinished: () => jobsFinished.forEach((fn) => fn()),
      currentModel: () => model,
      triggers: triggers.control,
      packages: packageView,
      ...(options.group ? { group: options.group } : {}),
    },
    options,
  );
  const modelId = parts.resolved?.id;
  model = modelId ?? parts.provider.id;

  const conversation = new Conversation(parts.systemPrompt);
  const tree = new TurnTree();
  const compaction = await wireCompaction({ definition, env, provider: parts.provider, context, conversation, tree, totals, ...(options.allModels ? { only: options.allModels } : {}) });
  const core = new CreatureCore(
    {
      provider: parts.provider,
      conversation,
      executor: parts.executor,
      settings: parts.settings,
      limits: limitsFor(definition, options.maxTurns),
      retry: parts.retry,
      totals,
      purpose: 'controller',
      policies: [overflowTrim, compaction.policy],
      takeInjected: () => (parts.jobs.hasInbox ? jobNotice(parts.jobs.drainInbox()) : undefined),
      ...(parts.budget ? { budget: parts.budget } : {}),
      ...(definition.toolFormat ? { format: definition.toolFormat } : {}),
    },
    context,
  );

  const pluginHost: PluginHost = {
    agentName: name,
    cwd,
    emit: (draft) => emitter.emit(draft),
    state: { get: (key) => context.session.getState(key), set: (key, value) => context.session.setState(key, value) },
    interactions: context.interactions,
    now: () => context.clock.now(),
    pricing: pricingLookup(env),
    compaction: compaction.port,
  };
  const catalog = options.pluginCatalog ?? defaultCatalog;
  await loadPlugins(hooks, await pluginSpecs(definition, options.plugins ?? [], catalog), pluginHost);
  // Plugins may add sections to the system prompt (the sandbox states its rules); they go last.
  const promptBase = [parts.systemPrompt, ...hooks.promptSections()].join('\n\n');
  const promptSections = new Map(Object.entries(options.promptSections ?? {}).filter(([, text]) => text));
  const composed = [promptBase, ...promptSections.values()].join('\n\n');
  if (composed !== parts.systemPrompt) conversation.setSystemPrompt(composed);
  const systemPrompt = conversation.systemPrompt ?? '';
  await addConfigTriggers(triggers, definition, cwd);
  const io = await buildIoModules(definition, cwd, { ...(options.input ? { input: options.input } : {}), ...(options.outputs ? { outputs: options.outputs } : {}), ...(options.ioCatalog ? { catalog: options.ioCatalog } : {}) });

  // Last, so that nothing is written when anything above fails. A new file is
  // created holding the events start() will announce, so no session lacks them.
  const prepared = options.session || options.sharedSession
    ? await openSession(options, {
        ref,
        definition,
        cwd,
        ...(modelId ? { model: modelId } : {}),
        sessionId,
        creatureId,
        firstEvents: openingEvents({ creatureId, name, model, cwd, tools: parts.executor.toolNames, systemPrompt }),
      })
    : undefined;
  return {
    definition,
    cwd,
    env,
    creatureId,
    sessionId,
    bus,
    turn,
    context,
    core,
    tree,
    totals,
    parts,
    compaction,
    pluginHost,
    pluginCatalog: catalog,
    modelId,
    warnings: [
      ...definition.warnings,
      ...packages.failed.map((f) => ({ message: `package '${f.name}' not loaded: ${f.error.message}` })),
      ...parts.skillWarnings.map((message) => ({ message })),
      // Bad entries in llm_profiles.yaml or a package's llm_presets: left out, and said once at start.
      ...(parts.resolved?.warnings ?? []),
    ],
    jobsFinished,
    setHookModel: (id) => {
      model = id;
    },
    prepared,
    triggers,
    promptBase,
    promptSections,
    io,
  };
}

/** The ids a session file already gives this creature (read without writing or locking). */
async function existingIdentity(options: BuildOptions, name: string): Promise<{ sessionId: string; creatureId?: string } | undefined> {
  if (options.sharedSession) {
    const { sharedIdentity } = await import('../session/shared.js');
    return sharedIdentity(options.sharedSession, name);
  }
  if (!options.session) return undefined;
  const { resolve } = await import('node:path');
  const { readSessionIdentity } = await import('../session/identity.js');
  return readSessionIdentity(resolve(options.session), name);
}

/** Price of a model by its id (`provider/preset[@variation]`), from the presets; the catalog is read on first use. */
function pricingLookup(env: Env): (id: string) => Pricing | undefined {
  let catalog: ModelCatalog | undefined;
  return (id) => {
    const [provider, name] = (id.split('@')[0] ?? '').split('/', 2);
    if (!provider || !name) return undefined;
    catalog ??= ModelCatalog.load(env);
    return catalog.preset(provider, name)?.pricing;
  };
}
