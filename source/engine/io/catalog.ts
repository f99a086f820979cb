/**
 * The I/O catalog: input and output module types a config can name
 * (`input: {type: webhook}`, `output: {type: file}`). `builtins/` registers
 * the ones that ship, a package registers its own; the engine looks types up
 * here and never imports a concrete module.
 */
import type { ZodType } from 'zod';
import { KindRegistry } from '../kind-registry.js';
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

export class IoCatalog {
  readonly inputs = new KindRegistry<Any<InputDefinition>>({ what: 'input', folder: 'io', duplicate: (kind) => `an input type '${kind}' is already registered` });
  readonly outputs = new KindRegistry<Any<OutputDefinition>>({ what: 'output', folder: 'io', duplicate: (kind) => `an output type '${kind}' is already registered` });
}

/** The process-wide catalog that `builtins/` fills. */
export const ioCatalog = new IoCatalog();
