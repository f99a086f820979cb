/**
 * A registry of definitions by kind (trigger kinds, input and output types):
 * what a config names, looked up with a ConfigError that offers close
 * matches and says how to write a custom one. `builtins/` and packages fill
 * the process-wide ones; the engine only looks kinds up.
 */
import { ConfigError, type ConfigLocation } from './errors.js';
import { closeMatches } from './util/close-match.js';

export interface KindRegistryWords {
  /** `trigger`, `input`, `output`: how messages name an entry's kind. */
  what: string;
  /** The folder a custom module usually sits in, for the hint (`triggers`, `io`). */
  folder: string;
  /** The message for registering a kind twice. */
  duplicate(kind: string): string;
}

export class KindRegistry<D extends { kind: string }> {
  private readonly definitions = new Map<string, D>();

  constructor(private readonly words: KindRegistryWords) {}

  register(definition: D, { override = false } = {}): void {
    if (this.definitions.has(definition.kind) && !override) throw new Error(this.words.duplicate(definition.kind));
    this.definitions.set(definition.kind, definition);
  }

  has(kind: string): boolean {
    return this.definitions.has(kind);
  }

  kinds(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** The definition of `kind`, or a ConfigError with close matches. */
  get(kind: string, location?: ConfigLocation): D {
    const found = this.definitions.get(kind);
    if (found) return found;
    const { what, folder } = this.words;
    const near = closeMatches(kind, this.kinds());
    throw new ConfigError(`unknown ${what} type '${kind}'${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : ''}`, location, {
      hint: `known ${what} types: ${this.kinds().join(', ') || 'none'}; a custom one is { type: custom, module: ./${folder}/x.js }`,
    });
  }
}
