/**
 * `tool()`: turn a zod schema plus a function into a `Tool`. The JSON Schema
 * sent to the model is derived once, here; validation goes through the
 * schema's Standard Schema interface, so a zod copy other than ours works.
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { JsonSchema } from '../llm/provider.js';
import { lazyParts } from './lazy-schema.js';
import type { ParseResult, Tool, ToolConcurrency, ToolEffect, ToolContext, ToolOutput } from './tool.js';

const TOOL_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

export interface ToolDefinition<S extends z.ZodType> {
  name: string;
  description: string;
  input: S;
  execute(args: z.output<S>, context: ToolContext): ToolOutput | Promise<ToolOutput>;
  /** Default `parallel`. Use `exclusive` for tools that change the world (shell, writes). */
  concurrency?: ToolConcurrency;
  /** `edit` or `execute` when a person may want to approve calls first. */
  effect?: ToolEffect;
  /** Full documentation shown by `info`. */
  doc?: string;
  /** Default time limit in milliseconds. */
  timeoutMs?: number;
}

/** JSON Schema for a zod schema, as a function's `parameters` (input side, no `$schema`). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  // Built-in tools share one module-level schema across every creature and
  // sub-agent that binds them; converting once saves ~0.3 ms per binding.
  const cached = converted.get(schema);
  if (cached) return cached;
  const json = deepFreeze(convert(schema));
  converted.set(schema, json);
  return json;
}

/** Shared results are frozen: a consumer that wants changes copies (see the executor's background flag). */
const converted = new WeakMap<z.ZodType, JsonSchema>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function convert(schema: z.ZodType): JsonSchema {
  const own = (schema as { toJSONSchema?: (o: object) => JsonSchema }).toJSONSchema;
  const json = typeof own === 'function' ? own.call(schema, { io: 'input' }) : z.toJSONSchema(schema, { io: 'input' });
  const { $schema: _ignored, ...rest } = json as JsonSchema & { $schema?: unknown };
  return dropSafeIntegerBounds(rest) as JsonSchema;
}

/**
 * zod writes `.int()` as bounds of ±Number.MAX_SAFE_INTEGER: true but
 * meaningless to a model, and tokens in every request. Remove them.
 */
function dropSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropSafeIntegerBounds);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)) continue;
    out[key] = dropSafeIntegerBounds(value);
  }
  return out;
}

/** Validate with any Standard Schema (sync validators only, as zod is). */
export function parseWith<T>(schema: z.ZodType, args: unknown): ParseResult<T> {
  const result = schema['~standard'].validate(args);
  if (result instanceof Promise) return { ok: false, error: 'async schemas are not supported for tool input' };
  if (result.issues) {
    const lines = result.issues.map((issue) => {
      const path = (issue.path ?? [])
        .map((p) => (typeof p === 'object' && p !== null && 'key' in p ? String(p.key) : String(p)))
        .join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    return { ok: false, error: `invalid arguments: ${lines.join('; ')}` };
  }
  return { ok: true, value: result.value as T };
}

export function tool<S extends z.ZodType>(definition: ToolDefinition<S>): Tool<z.output<S>> {
  if (!TOOL_NAME.test(definition.name)) {
    throw new UsageError(`invalid tool name '${definition.name}': use letters, digits, '_' or '-' (max 64)`);
  }
  const deferred = definition.input ? lazyParts(definition.input) : undefined;
  if (deferred) return defineTool(definition, prebuilt(deferred.json) ?? jsonSchemaOf(deferred.real()), deferred.real);
  if (!definition.input || typeof (definition.input as { '~standard'?: unknown })['~standard'] !== 'object') {
    throw new UsageError(`tool '${definition.name}': 'input' must be a zod schema`);
  }
  const schema = definition.input;
  return defineTool(definition, jsonSchemaOf(schema), () => schema);
}

/** A JSON Schema written at build time, frozen the first time a tool uses it (as converted ones are). */
function prebuilt(json: () => JsonSchema | undefined): JsonSchema | undefined {
  const value = json();
  return value === undefined ? undefined : deepFreeze(value);
}

function defineTool<S extends z.ZodType>(definition: ToolDefinition<S>, parameters: JsonSchema, schemaOf: () => z.ZodType): Tool<z.output<S>> {
  const result: Tool<z.output<S>> = {
    name: definition.name,
    description: definition.description,
    parameters,
    concurrency: definition.concurrency ?? 'parallel',
    ...(definition.effect ? { effect: definition.effect } : {}),
    parse: (args) => parseWith<z.output<S>>(schemaOf(), args),
    execute: async (args, context) => definition.execute(args, context),
  };
  if (definition.doc !== undefined) Object.assign(result, { doc: definition.doc });
  if (definition.timeoutMs !== undefined) Object.assign(result, { timeoutMs: definition.timeoutMs });
  return result;
}
