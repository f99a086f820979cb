/**
 * The public library API of kohakuterrarium. Re-exports only; importing it
 * also registers the built-in tools and the bundled `@kt-biome` pack.
 *
 * @example
 *   await using agent = await Agent.build('@kt-biome/creatures/swe', { llm: 'openai/gpt-4o-mini' });
 *   const result = await agent.run('Explain what this codebase does.', { timeout: 300_000 });
 *   console.log(result.status, result.text, result.usage);
 */
export * from './builtins/index.js';

export { Agent, type AgentState, type BuildOptions, type RunOptions } from './engine/creature/agent.js';
export type { TurnResult, ToolCallRecord } from './engine/creature/turn-result.js';
export { TurnStream } from './engine/creature/turn-stream.js';
export { EventStream, type StreamOptions } from './engine/creature/bus.js';
export { Conversation, repairToolPairing } from './engine/creature/conversation.js';

export * from './engine/events.js';
export * from './engine/errors.js';

export { tool, jsonSchemaOf, type ToolDefinition } from './engine/tools/define.js';
export type { Tool, ToolContext, ToolOutput, ToolResultObject, ToolConcurrency, ToolEffect, ToolSession, ToolProgress } from './engine/tools/tool.js';
export type { AskOptions, ToolRuntime, JobControl, JobSnapshot } from './engine/tools/runtime.js';
export { APPROVAL_MODES, ApprovalGate, type ApprovalMode, type ApprovalDecision, type ApprovalAnswer, type ApprovalRequest, type ApprovalVerdict, type AskApproval } from './engine/tools/approval.js';
export { ToolCatalog, toolCatalog, type ToolFactory } from './engine/tools/catalog.js';

export { plugin, type PluginDefinition, type PluginContext, type PluginState, type AppliesTo, type InteractionPort, type CompactionPort } from './engine/plugins/define.js';
export type * from './engine/plugins/hooks.js';
export { PluginCatalog, pluginCatalog } from './engine/plugins/catalog.js';
// Lower level: the chain runner, for hosts that run plugins outside an Agent.
export { HookChain, type PluginInfo } from './engine/plugins/chain.js';
export { loadPlugins, type PluginSpec, type PluginHost } from './engine/plugins/load.js';
export type { InjectedEvent, TriggerRequest } from './engine/creature/agent.js';
export type { Trigger, TriggerContext, TriggerFire, TriggerInfo, TriggerDefinition, TriggerEnv, TriggerOrigin, FireOutcome, ConversationChange } from './engine/triggers/trigger.js';
export { TriggerCatalog, triggerCatalog } from './engine/triggers/catalog.js';
export type { InputModule, InputContext, InputTurn } from './engine/io/input.js';
export type { OutputModule, OutputContext, OutputHandler, OutputTurnInfo, OutputEndInfo } from './engine/io/output.js';
export { IoCatalog, ioCatalog, type InputDefinition, type OutputDefinition, type IoEnv } from './engine/io/catalog.js';
export { McpManager, type McpServerStatus, type McpServerState } from './engine/mcp/manager.js';
export type { McpServerConfig, McpServerRef, McpExposure } from './engine/mcp/config.js';
// The global MCP catalog (`kt config mcp`), for hosts that manage it (the studio's settings).
export { readMcpCatalog, writeMcpCatalog, mcpCatalogPath, mcpServerSchema } from './engine/mcp/config.js';
export { connectMcp, type McpConnection } from './engine/mcp/client.js';
export type { McpControl, McpServerView, McpToolView } from './engine/tools/runtime.js';
export { ChannelHub, type ChannelMessage, type ChannelInfo, type ChannelType, type ChannelTransport } from './engine/channels/hub.js';
export { loadRecipe, type Recipe } from './engine/terrarium/recipe.js';
export { Terrarium, type TerrariumOptions, type AddCreatureOptions } from './engine/terrarium/terrarium.js';
export { TerrariumCreature, type MemberState } from './engine/terrarium/member.js';
export type { EngineEvent, EngineEventKind, EventFilter } from './engine/terrarium/engine-events.js';
export type { TopologyData } from './engine/terrarium/topology.js';
export { systemClock, type Clock } from './engine/util/clock.js';
export { Interactions, NoAnswerError, InteractionFailedError, type InteractionRequest } from './engine/creature/interactions.js';

export type { Provider, LLMRequest, LLMStreamPart, LlmCaller, ToolSpec, JsonSchema, StreamOptions as ProviderStreamOptions } from './engine/llm/provider.js';
export type { Message, ContentPart, TextPart, ImagePart, UserContent, ToolCallRequest, Usage } from './engine/llm/messages.js';
export { resolveLLM, type ResolvedLLM, type Credential } from './engine/llm/resolve.js';
export { createProvider } from './engine/llm/create.js';
export { ModelCatalog } from './engine/llm/profiles/catalog.js';
export type { Backend, BackendType, Preset } from './engine/llm/profiles/types.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './engine/llm/retry.js';

export { loadCreature, defineCreature, type CreatureDefinition, type ConfigWarning, type LoadOptions } from './engine/config/loader.js';
export { configHome, sessionHome, type Env } from './engine/home.js';
// For hosts that manage keys (the server's settings): write-only from the outside, see engine/llm/key-store.ts.
export { KeyStore } from './engine/llm/key-store.js';
export { formatAge } from './engine/util/age.js';

export { SessionReader, type LoggedEvent, type TurnRecord, type TurnToolCall } from './engine/session/reader.js';
export type { SessionMeta } from './engine/session/meta.js';
export { resumeCreature, sessionCreature, type ResumeCreatureOptions, type ResumePreparation } from './engine/creature/resume.js';
export { listSessions, findSession, newSessionPath, LAB_SESSION_FOLDER, type SessionSummary } from './engine/session/listing.js';
export { forkSession, type ForkResult } from './engine/session/fork.js';
export { replaySession, type ReplayOptions, type ReplayReport, type CreatureReplay } from './engine/replay/replay-session.js';
export { formatDivergence } from './engine/replay/diff.js';
export type { Divergence, DivergenceKind } from './engine/replay/compare.js';
export type { RunFigures } from './engine/replay/figures.js';
// Lower level: the log itself, for tools that write or inspect session files directly.
export { SessionStore, type StoredEvent, type EventQuery } from './engine/session/store.js';
export { SessionRecorder, type RecorderOptions } from './engine/session/recorder.js';
export { searchSession, SEARCH_MODES, type SearchHit, type SearchMode, type SearchOptions } from './engine/session/search/search.js';
export { searchAll, type SessionHit, type SearchAllOptions, type SearchAllResult } from './engine/session/search/search-all.js';
export { updateIndex } from './engine/session/search/update.js';
export { HashEmbedder } from './engine/session/search/embeddings/hash.js';
export { createEmbedder, type EmbedderRequest } from './engine/session/search/embeddings/create.js';
export type { Embedder, EmbeddingConfig } from './engine/session/search/embeddings/provider.js';
export * as packages from './engine/packages/index.js';

// The composition algebra; the combinators themselves (seq, par, agent, ...) are under `compose` here and by name from `kohakuterrarium/compose`.
export * as compose from './engine/compose/index.js';
export { Composable, AgentRunnable, ComposeStream, PipelineIterator, CompositionError, StepFailedError, OutputRejectedError, NoRouteError } from './engine/compose/index.js';
export type { ComposeResult, ComposeRunOptions, ComposeEvent, StepRecord, StepStatus, StepContext, StepFn, TurnRunnable, Settled, CompositionStatus } from './engine/compose/index.js';

// The Laboratory (creatures on several machines over NATS). These modules load the NATS client only when a lab connects.
export { connectLab, type LabConnectOptions } from './engine/lab/connect.js';
export { NatsChannelTransport } from './engine/lab/channel-transport.js';
export { LabHost, type HostOptions, type LabStatus } from './engine/lab/host.js';
export { LabWorker, type WorkerOptions } from './engine/lab/worker.js';
export { labSubjects } from './engine/lab/subjects.js';
