/**
 * The options of an Agent: how it is built, how a turn is run, and what a
 * replayed session hands back to it.
 */
import type { Env } from '../home.js';
import type { Provider } from '../llm/provider.js';
import type { RetryPolicy } from '../llm/retry.js';
import type { ToolCatalog } from '../tools/catalog.js';
import type { Tool } from '../tools/tool.js';
import type { PluginCatalog } from '../plugins/catalog.js';
import type { PluginUse } from './agent-plugins.js';
import type { Clock } from './context.js';
import type { SubagentCatalog } from './subagent-catalog.js';
import type { ChannelHub } from '../channels/hub.js';
import type { TriggerCatalog } from '../triggers/catalog.js';
import type { GroupControl } from '../tools/runtime.js';
import type { TurnJobOptions } from './turn-job.js';
import type { IoCatalog } from '../io/catalog.js';
import type { SessionHandle } from '../session/records.js';
import type { InputModule } from '../io/input.js';
import type { OutputModule } from '../io/output.js';

export interface BuildOptions {
  /** A preset name, `provider/model`, or a Provider instance. Overrides the config. */
  llm?: string | Provider;
  /**
   * Every model call goes to this provider: the creature's (over `llm`), its
   * sub-agents' even when they name a model of their own, and compaction's
   * even with a `compact_model`. Replay serves a recording this way, so no
   * other provider is ever made (no key needed, no connection opened).
   */
  allModels?: Provider;
  /**
   * `off`: nothing starts a turn on its own — trigger fires, channel messages
   * and output wires are refused (`injectEvent` throws). A replay gives those
   * turns itself, as recorded, so they land where they landed. Default `on`.
   */
  triggers?: 'on' | 'off';
  /** Extra tools; they replace configured tools of the same name. */
  tools?: Tool[];
  /** Working directory for tools (default: the process cwd). Never changes the process cwd. */
  pwd?: string;
  /** Folders outside `pwd` the file tools may use, added to the config's `allowed_paths`. */
  allowedPaths?: string[];
  /** Read AGENTS.md / CLAUDE.md from the working tree into the system prompt (default true). */
  projectInstructions?: boolean;
  /** Replaces the configured base prompt. */
  systemPrompt?: string;
  /** LLM rounds per turn; overrides `termination.max_turns`. */
  maxTurns?: number;
  /** Environment for `${VAR}` interpolation, API keys and tool processes (default: process.env). */
  env?: Env;
  /** Where tool names resolve (default: the built-in catalog). */
  catalog?: ToolCatalog;
  /** Where sub-agent names resolve (default: the built-in catalog). */
  subagentCatalog?: SubagentCatalog;
  retry?: Partial<RetryPolicy>;
  /** Use this session id instead of minting one. */
  sessionId?: string;
  /**
   * A session file: created when absent, resumed when present (the
   * conversation, turns and totals continue). Every event is written to it.
   */
  session?: string;
  /**
   * A session file the caller owns and shares between creatures (a
   * terrarium's): the creature restores its state from it by name when it is
   * there, records into it, and never closes it or takes its lock. Used
   * instead of `session`.
   */
  sharedSession?: SessionHandle;
  /** `session` must be a new file: creating it fails (`SESSION_EXISTS`) rather than resuming a file that is there. */
  newSession?: boolean;
  /** How the creature was referred to, recorded in a new session for `kt resume` (default: `ref` when it is a string). */
  sessionRef?: string;
  /**
   * Plugins to run besides the config's: `plugin()` definitions, or a name
   * from the plugin catalog (or a definition) with options. One with the name
   * of a configured plugin replaces it.
   */
  plugins?: PluginUse[];
  /** Where plugin names resolve (default: the built-in catalog). */
  pluginCatalog?: PluginCatalog;
  /** The creature's clock (triggers, plugins' budgets, compaction cooldowns); tests pass a `FakeClock`. */
  clock?: Clock;
  /** Where trigger types resolve (default: the built-in catalog). */
  triggerCatalog?: TriggerCatalog;
  /** The channels the creature listens on (a terrarium shares one hub; default: a hub of its own). */
  channels?: ChannelHub;
  /** Sections appended to the system prompt by key (a terrarium's `team`); `agent.setPromptSection` changes them later. */
  promptSections?: Record<string, string>;
  /** The creature's team, when a terrarium hosts it (what the group tools act on). */
  group?: GroupControl;
  /**
   * Where turns come from besides the caller: `'config'` (default) runs the
   * config's `input:` module, `'none'` runs none (a surface that is itself the
   * input: kt with -p or piped stdin), or a module of your own.
   */
  input?: InputModule | 'config' | 'none';
  /** `'config'` (default) uses the config's `output:`; `'none'` drops its main output; modules replace it. Named outputs stay. */
  outputs?: OutputModule[] | 'config' | 'none';
  /** Where input and output types resolve (default: the built-in catalog). */
  ioCatalog?: IoCatalog;
}

/** Options of `run()` / `runStream()`: `timeout` (ms), `signal`, `source`. */
export type RunOptions = TurnJobOptions;

export type AgentState = 'idle' | 'running' | 'stopping' | 'stopped';

/** What `restore()` needs: a replayed session (the shape session/ gives back). */
export type { RestoredState, SessionHandle } from '../session/records.js';
