/**
 * The tool catalog: how the engine finds tools by the names a creature config
 * lists, without importing them. `builtins/` registers its factories here at
 * startup; packages can register theirs the same way.
 */
import { UsageError } from '../errors.js';
import type { Tool } from './tool.js';

export interface ToolFactory {
  readonly name: string;
  /** One line, shown in listings and close-match suggestions. */
  readonly description: string;
  /**
   * Build the tool for one creature. `options` are the config entry's keys
   * other than the executor's own (`timeout`, `max_output`, `working_dir`, `env`).
   */
  create(options: Readonly<Record<string, unknown>>): Tool;
}

export class ToolCatalog {
  private readonly factories = new Map<string, ToolFactory>();

  register(factory: ToolFactory, { override = false } = {}): void {
    if (this.factories.has(factory.name) && !override) {
      throw new UsageError(`a tool named '${factory.name}' is already registered`);
    }
    this.factories.set(factory.name, factory);
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  get(name: string): ToolFactory | undefined {
    return this.factories.get(name);
  }

  names(): string[] {
    return [...this.factories.keys()].sort();
  }

  create(name: string, options: Readonly<Record<string, unknown>> = {}): Tool {
    const factory = this.factories.get(name);
    if (!factory) throw new UsageError(`unknown tool '${name}'`);
    return factory.create(options);
  }
}

/** The process-wide catalog that `builtins/` fills. */
export const toolCatalog = new ToolCatalog();
