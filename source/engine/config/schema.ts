/**
 * The schema of one creature config file (`config.yaml`). Keys are the
 * original KohakuTerrarium's, snake_case, so configs carry over unchanged.
 *
 * Every field is optional at this level: a file may be a thin layer over its
 * `base_config`. Tool entries are loose objects because, as in the original,
 * keys outside the reserved set become the tool's options.
 *
 * Each schema is built the first time it is used (util/lazy-schema.ts), not
 * when the module loads: importing the library does not pay for them.
 */
import { z } from 'zod';
import { lazySchema } from '../util/lazy-schema.js';
import { mcpExposureSchema, mcpServerRefSchema } from './mcp-schema.js';

/** Seconds that become a timer: Node's setTimeout holds at most 2^31-1 ms and fires anything larger at once. */
const MAX_TIMER_SECONDS = 2_147_483;
const tooLong = `at most ${MAX_TIMER_SECONDS} seconds (about 24 days, the longest timer Node supports)`;
const positive = lazySchema(() => z.number().positive().max(MAX_TIMER_SECONDS, tooLong));
const seconds = lazySchema(() => z.number().nonnegative().max(MAX_TIMER_SECONDS, tooLong));

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export const TOOL_FORMATS = ['native', 'bracket', 'xml'] as const;

export const toolEntrySchema = lazySchema(() => z.union([
  z.string().min(1),
  z.looseObject({
    name: z.string().min(1),
    type: z.enum(['builtin', 'custom', 'package', 'trigger']).optional(),
    module: z.string().optional(),
    class: z.string().optional(),
    doc: z.string().optional(),
    /** Seconds. */
    timeout: positive.optional(),
    /** Bytes of output kept for the model. */
    max_output: z.number().int().positive().optional(),
    working_dir: z.string().optional(),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  }),
]));

/**
 * Sub-agent keys of the original that this version does not act on yet.
 * They validate loosely and warn (see inert-keys.ts), so configs written for
 * the original still load; any other unknown key warns with a suggestion.
 */
export const SUBAGENT_PENDING_KEYS = [
  'module',
  'config',
  'interactive',
  'output_to',
  'context_mode',
  'return_as_context',
  'memory_path',
  'tool_format',
  'default_plugins',
  'plugins',
  'compact',
  'notify_controller_on_background_complete',
  'budget_inherit',
  'budget_allocation',
] as const;

const subagentPending = () => Object.fromEntries(SUBAGENT_PENDING_KEYS.map((k) => [k, z.unknown().optional()])) as Record<
  (typeof SUBAGENT_PENDING_KEYS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

export const subagentEntrySchema = lazySchema(() => z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    type: z.enum(['builtin', 'custom', 'package']).optional(),
    description: z.string().optional(),
    system_prompt: z.string().optional(),
    prompt_file: z.string().min(1).optional(),
    extra_prompt: z.string().optional(),
    extra_prompt_file: z.string().min(1).optional(),
    tools: z.array(z.string().min(1)).optional(),
    /** LLM rounds per task. */
    max_turns: z.number().int().positive().optional(),
    max_tool_calls: z.number().int().positive().optional(),
    /** Seconds per task. */
    timeout: positive.optional(),
    background: z.boolean().optional(),
    model: z.string().min(1).optional(),
    subagents: z.array(z.string().min(1)).optional(),
    can_modify: z.boolean().optional(),
    temperature: z.number().min(0).max(2).optional(),
    ...subagentPending(),
  }),
]));

/** A plugin: a bare name (built-in or package) or a mapping with a module and options. */
export const pluginEntrySchema = lazySchema(() => z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    type: z.enum(['builtin', 'custom', 'package']).optional(),
    /** A JS module exporting a plugin() definition, relative to this config file. */
    module: z.string().min(1).optional(),
    /** The export to use (default export when absent); `class_name` is the original's spelling. */
    class: z.string().min(1).optional(),
    class_name: z.string().min(1).optional(),
    description: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    /** Loaded but off until `/plugin enable` (default true). */
    enabled: z.boolean().optional(),
    /** Overrides the plugin's own priority. */
    priority: z.number().optional(),
  }),
]));

export const compactSchema = lazySchema(() => z.strictObject({
  enabled: z.boolean().optional(),
  max_tokens: z.number().int().positive().optional(),
  threshold: z.number().gt(0).max(1).optional(),
  target: z.number().gt(0).max(1).optional(),
  keep_recent_turns: z.number().int().nonnegative().optional(),
  cooldown_seconds: seconds.optional(),
  compact_model: z.string().min(1).optional(),
}));

export const retryPolicySchema = lazySchema(() => z.strictObject({
  max_retries: z.number().int().nonnegative().optional(),
  /** Seconds. */
  base_delay: seconds.optional(),
  max_delay: seconds.optional(),
  jitter: z.number().min(0).max(1).optional(),
  retry_classes: z.array(z.enum(['rate_limit', 'server', 'transient', 'overflow', 'unknown'])).optional(),
}));

export const controllerSchema = lazySchema(() => z.strictObject({
  llm: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider: z.string().optional(),
  base_url: z.string().optional(),
  api_key_env: z.string().optional(),
  auth_mode: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  service_tier: z.string().optional(),
  extra_body: z.record(z.string(), z.unknown()).optional(),
  variation: z.string().optional(),
  variation_selections: z.record(z.string(), z.string()).optional(),
  retry_policy: retryPolicySchema.optional(),
  /** Seconds to wait for a model's response headers (connect included). */
  request_timeout: positive.optional(),
  /** Seconds a started model stream may go without sending anything. */
  stream_idle_timeout: positive.optional(),
  /** Anthropic prompt-caching markers; on unless set to false. */
  prompt_caching: z.boolean().optional(),
  tool_format: z.union([z.enum(TOOL_FORMATS), z.record(z.string(), z.unknown())]).optional(),
  max_messages: z.number().int().nonnegative().optional(),
  ephemeral: z.boolean().optional(),
  skill_mode: z.enum(['dynamic', 'static']).optional(),
  include_tools_in_prompt: z.boolean().optional(),
  include_hints_in_prompt: z.boolean().optional(),
  /** Tools (names or `*` patterns) that run without asking, whatever the approval mode. */
  allow: z.array(z.string().min(1)).optional(),
  /** Environment variables (names or `*` patterns) tools' child processes get even when env_deny matches them. */
  env_passthrough: z.array(z.string().min(1)).optional(),
  /** More variables to keep from tools' child processes, beside the default deny list. */
  env_deny: z.array(z.string().min(1)).optional(),
}));

/** What `web_fetch` may reach. */
export const webSchema = lazySchema(() => z.strictObject({
  /** Loopback, link-local (cloud metadata) and private addresses; refused unless true. */
  allow_private: z.boolean().optional(),
}));

export const terminationSchema = lazySchema(() => z.strictObject({
  /** LLM rounds per turn. */
  max_turns: z.number().int().nonnegative().optional(),
  max_tokens: z.number().int().nonnegative().optional(),
  /** Seconds per turn. */
  max_duration: seconds.optional(),
  idle_timeout: seconds.optional(),
  keywords: z.array(z.string().min(1)).optional(),
}));

const hintOverridesSchema = lazySchema(() => z.record(z.string(), z.string().nullable().transform((text) => text ?? '')));

/**
 * Keys of the original config that later parts of this project implement.
 * They validate loosely now and produce a "not supported yet" warning, so
 * configs written for the original still load.
 */
export const PENDING_KEYS = [
  'memory',
  'disable_provider_tools',
  'session_key',
] as const;

/** Keys every trigger, input and output entry may have; the rest are the module's options. */
const moduleEntry = lazySchema(() => z.looseObject({
  type: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  /** A JS module (relative to this config file) for `type: custom`. */
  module: z.string().min(1).optional(),
  /** The export to use (default export when absent). */
  class: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
}));

/** A trigger entry: `timer`, `scheduler`, `channel`, ... by type, or a custom module. */
export const triggerEntrySchema = lazySchema(() => z.union([z.string().min(1), moduleEntry.refine((e) => e.type !== undefined || e.module !== undefined, 'a trigger needs a type (timer, scheduler, context, channel, webhook, file_watch, custom)')]));

export const inputEntrySchema = lazySchema(() => z.union([z.string().min(1), moduleEntry]));

export const outputEntrySchema = lazySchema(() => z.union([
  z.string().min(1),
  moduleEntry.extend({
    /** Answer text goes to the surface too (the original's default; kept for compatibility, always true here). */
    controller_direct: z.boolean().optional(),
    /** Outputs the model writes to with `[/output_<name>]...[output_<name>/]` blocks. */
    named_outputs: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'a named output is letters, digits, _ and -'), z.union([z.string().min(1), moduleEntry])).optional(),
  }),
]));

/**
 * `output_wiring:` — in a terrarium, where this creature's turn-end text goes.
 * A bare string is `{to: <name>, with_content: true}`. Outside a terrarium it does nothing.
 */
export const outputWireSchema = lazySchema(() => z.union([
  z.string().min(1),
  z.strictObject({
    to: z.string().min(1),
    /** Send the turn's text (default) or only a lifecycle ping. */
    with_content: z.boolean().optional(),
    /** The message template: `{source}`, `{target}`, `{content}`, `{turn_index}` (or Jinja with prompt_format: jinja). */
    prompt: z.string().optional(),
    prompt_format: z.enum(['simple', 'jinja']).optional(),
    /** A wire to the creature itself is refused unless this is true. */
    allow_self_trigger: z.boolean().optional(),
  }),
]));

/** `startup_trigger:` — a prompt run once when a new session starts. */
export const startupTriggerSchema = lazySchema(() => z.union([z.string().min(1), z.strictObject({ prompt: z.string().min(1) })]));

const pending = () => Object.fromEntries(PENDING_KEYS.map((k) => [k, z.unknown().optional()])) as Record<
  (typeof PENDING_KEYS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

export const creatureLayerSchema = lazySchema(() => z.strictObject({
  name: z.string().min(1).optional(),
  version: z.union([z.string(), z.number()]).transform(String).optional(),
  description: z.string().optional(),
  base_config: z.string().min(1).optional(),
  no_inherit: z.array(z.string()).optional(),
  prompt_mode: z.enum(['concat', 'replace']).optional(),
  system_prompt: z.string().optional(),
  system_prompt_file: z.string().min(1).optional(),
  controller: controllerSchema.optional(),
  tools: z.array(toolEntrySchema).optional(),
  subagents: z.array(subagentEntrySchema).optional(),
  termination: terminationSchema.optional(),
  max_iterations: z.number().int().positive().optional(),
  max_subagent_depth: z.number().int().nonnegative().optional(),
  sanitize_orphan_tool_calls: z.boolean().optional(),
  /** Package skills to switch on (`"*"` for all); skills from the user's, the project's and the creature's folders are always on. */
  skills: z.union([z.literal('*'), z.array(z.string().min(1))]).transform((v) => (v === '*' ? ['*'] : v)).optional(),
  /** Bytes of the `## Skills` index in the prompt. */
  skill_index_budget_bytes: z.number().int().nonnegative().optional(),
  /** Folders outside the working directory the file tools may use (`~` and paths relative to this file's folder allowed). */
  allowed_paths: z.array(z.string().min(1)).optional(),
  web: webSchema.optional(),
  plugins: z.array(pluginEntrySchema).optional(),
  /** Plugin packs by name (`auto-compact`), each standing for one or more plugins. */
  default_plugins: z.array(z.string().min(1)).optional(),
  compact: compactSchema.optional(),
  triggers: z.array(triggerEntrySchema).optional(),
  output_wiring: z.array(outputWireSchema).optional(),
  startup_trigger: startupTriggerSchema.optional(),
  input: inputEntrySchema.optional(),
  output: outputEntrySchema.optional(),
  /** Framework hint block key → the text to use instead ('' or null drops the block); see engine/prompt/hint-blocks.ts. */
  framework_hint_overrides: hintOverridesSchema.optional(),
  /** The original's alias of `framework_hint_overrides` (which wins when a file has both). */
  framework_hints: hintOverridesSchema.optional(),
  /** Template variable → a file (relative to this config's folder) whose text the prompt gets as `{{ variable }}`. */
  prompt_context_files: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a template variable name: letters, digits and _, not starting with a digit'), z.string().min(1)).optional(),
  // Back-compat: the original also reads these at the top level.
  tool_format: z.union([z.enum(TOOL_FORMATS), z.record(z.string(), z.unknown())]).optional(),
  skill_mode: z.enum(['dynamic', 'static']).optional(),
  include_tools_in_prompt: z.boolean().optional(),
  include_hints_in_prompt: z.boolean().optional(),
  max_messages: z.number().int().nonnegative().optional(),
  ephemeral: z.boolean().optional(),
  /** MCP servers: names from the global catalog, or entries (`{name, command, args}` / `{name, transport, url}`). */
  mcp_servers: z.array(mcpServerRefSchema).optional(),
  /** How the model sees MCP tools: `flat` (one tool each), `meta` (mcp_list/mcp_call), `auto` (flat up to 40 tools). */
  mcp_exposure: mcpExposureSchema.optional(),
  ...pending(),
}));

export type CreatureLayer = z.output<typeof creatureLayerSchema>;
export type ToolEntry = z.output<typeof toolEntrySchema>;
export type SubagentEntry = z.output<typeof subagentEntrySchema>;
export type ControllerConfig = z.output<typeof controllerSchema>;
export type TerminationConfig = z.output<typeof terminationSchema>;
export type RetryPolicyConfig = z.output<typeof retryPolicySchema>;
export type PluginEntry = z.output<typeof pluginEntrySchema>;
export type CompactConfig = z.output<typeof compactSchema>;
export type OutputWireEntry = z.output<typeof outputWireSchema>;

/** Lists merged by entry `name` across inheritance, child replacing in place. */
export const IDENTITY_LISTS = ['tools', 'subagents', 'plugins', 'mcp_servers', 'triggers'] as const;
