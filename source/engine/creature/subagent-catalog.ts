/**
 * Sub-agents a creature can hand a task to. A sub-agent is a small creature
 * of its own: a prompt, a tool allow-list and a budget, run on one task with
 * a fresh conversation, reporting back its final answer. The catalog is how
 * the engine finds the built-in ones by name (builtins/ fills it, as it does
 * the tool catalog); a config can also define one inline.
 */
import { UsageError } from '../errors.js';

export interface SubagentDefinition {
  name: string;
  /** One line: when to use it. Shown to the model as the tool's description. */
  description: string;
  /** Its system prompt (the environment and its tool list are added when it runs). */
  systemPrompt: string;
  /** Tools it may use, by catalog name; only those the parent creature can build are given. */
  tools: string[];
  /** Whether its tools change files (informational: shown in `info`, checked against the tool list). */
  canModify: boolean;
  /** LLM rounds per task (default 40). */
  maxTurns?: number;
  /** Tool calls per task (default 100). */
  maxToolCalls?: number;
  /** Wall time per task in ms (default none). */
  timeoutMs?: number;
  /** Run in the background unless the model asks otherwise (default true). */
  background?: boolean;
  /** A model for it (`provider/model` or a preset); default the parent's. */
  model?: string;
  /** Its sampling temperature; default the parent's. */
  temperature?: number;
  /** Other sub-agents it may call in turn (depth-limited by `max_subagent_depth`). */
  subagents?: string[];
}

export class SubagentCatalog {
  private readonly definitions = new Map<string, SubagentDefinition>();

  register(definition: SubagentDefinition, { override = false } = {}): void {
    if (this.definitions.has(definition.name) && !override) throw new UsageError(`a sub-agent named '${definition.name}' is already registered`);
    this.definitions.set(definition.name, definition);
  }

  has(name: string): boolean {
    return this.definitions.has(name);
  }

  get(name: string): SubagentDefinition | undefined {
    return this.definitions.get(name);
  }

  names(): string[] {
    return [...this.definitions.keys()].sort();
  }
}

/** The process-wide catalog that `builtins/` fills. */
export const subagentCatalog = new SubagentCatalog();
