/**
 * The I/O catalog: input and output module types a config can name
 * (`input: {type: webhook}`, `output: {type: file}`). `builtins/` registers
 * the ones that ship, a package registers its own; the engine looks types up
 * here and never imports a concrete module.
 */
import type { ZodType } from 'zod';
import { ConfigError, type ConfigLocation } from '../errors.js';
import { closeMatches } from '../util/close-match.js';
import type { InputModule } from './input.js';
import type { OutputModule } from './output.js';

export interface IoEnv {
  /** The config folder (paths in options are relative to it). */
  folder: string;
  cwd: string;
}

export interface InputDefinition<O = unknown> {
  kind: string;
  description: string;
  options: ZodType<O>;
  create(options: O, env: IoEnv): InputModule;
}

export interface OutputDefinition<O = unknown> {
  kind: string;
  description: string;
  options: ZodType<O>;
  create(options: O, env: IoEnv): OutputModule;
}

// Options differ per type and each definition checks its own, so the catalog holds them untyped.
type Any<T> = T extends InputDefinition ? InputDefinition<any> : OutputDefinition<any>;

class Registry<D extends { kind: string }> {
  private readonly definitions = new Map<string, D>();

  constructor(private readonly what: 'input' | 'output') {}

  register(definition: D, { override = false } = {}): void {
    if (this.definitions.has(definition.kind) && !override) throw new Error(`an ${this.what} type '${definition.kind}' is already registered`);
    this.definitions.set(definition.kind, definition);
  }

  has(kind: string): boolean {
    return this.definitions.has(kind);
  }

  kinds(): string[] {
    return [...this.definitions.keys()].sort();
  }

  get(kind: string, location?: ConfigLocation): D {
    const found = this.definitions.get(kind);
    if (found) return found;
    const near = closeMatches(kind, this.kinds());
    throw new ConfigError(`unknown ${this.what} type '${kind}'${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}`, location, {
      hint: `known ${this.what} types: ${this.kinds().join(', ') || 'none'}; a custom one is { type: custom, module: ./io/x.js }`,
    });
  }
}

export class IoCatalog {
  readonly inputs = new Registry<Any<InputDefinition>>('input');
  readonly outputs = new Registry<Any<OutputDefinition>>('output');
}

/** The process-wide catalog that `builtins/` fills. */
export const ioCatalog = new IoCatalog();
