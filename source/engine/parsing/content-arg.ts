/**
 * Which argument a call's body fills. A text-mode call puts its main input
 * (the command, the file content, the path) in the body rather than in an
 * argument line, because that is what models write most reliably and what
 * needs no quoting. The rules, in order:
 *
 * 1. The preferred name of a known tool (`PREFERRED_CONTENT_ARGS`; a
 *    sub-agent's is `task`; `edit`'s is `diff`, only when the body looks like
 *    a unified diff) — if the schema declares it (or declares no properties).
 * 2. The schema's only required string property, if there is exactly one.
 * 3. `content`.
 */
/** A tool's JSON Schema, as much of it as this reads. */
type JsonSchema = Record<string, unknown>;
import { isRecord } from '../util/records.js';
import { coerceArgs, coerceValue, schemaProperties } from './coerce.js';
import type { CallEvent } from './events.js';

/** Built-in tool → the argument its body fills. */
export const PREFERRED_CONTENT_ARGS: Readonly<Record<string, string>> = Object.freeze({
  bash: 'command',
  python: 'code',
  write: 'content',
  read: 'path',
  glob: 'pattern',
  grep: 'pattern',
  tree: 'path',
  send_message: 'message',
  info: 'name',
  read_job: 'job_id',
  skill: 'name',
});

export interface ContentArgOptions {
  /** The body, for rules that look at it (`edit` with a unified diff). */
  body?: string;
  /** The name is a sub-agent's: its body is the `task`. */
  subAgent?: boolean;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m;
const FILE_HEADERS = /^--- .*\r?\n\+\+\+ /m;

/** A hunk header (`@@ -1,3 +1,4 @@`) or a `---` / `+++` file header pair. */
export function looksLikeUnifiedDiff(text: string): boolean {
  return HUNK.test(text) || FILE_HEADERS.test(text);
}

function preferredFor(toolName: string, options: ContentArgOptions): string | undefined {
  if (options.subAgent) return 'task';
  if (toolName === 'edit') return options.body !== undefined && looksLikeUnifiedDiff(options.body) ? 'diff' : undefined;
  return Object.hasOwn(PREFERRED_CONTENT_ARGS, toolName) ? PREFERRED_CONTENT_ARGS[toolName] : undefined;
}

export function contentArgFor(toolName: string, schema: JsonSchema | undefined, options: ContentArgOptions = {}): string {
  const hasProperties = isRecord(schema?.['properties']);
  const properties = schemaProperties(schema);
  const preferred = preferredFor(toolName, options);
  if (preferred !== undefined && (!hasProperties || Object.hasOwn(properties, preferred))) return preferred;

  const required = schema?.['required'];
  if (Array.isArray(required)) {
    const strings = required.filter((key): key is string => {
      if (typeof key !== 'string' || !Object.hasOwn(properties, key)) return false;
      const property = properties[key];
      return isRecord(property) && property['type'] === 'string';
    });
    if (strings.length === 1) return strings[0] as string;
  }
  return 'content';
}

/**
 * A parsed call → the JSON arguments for the tool: `coerceArgs` on the
 * named arguments, then the body under `contentArgFor` (coerced by that
 * property's schema). A named argument wins over the body. An empty body
 * is left out unless the schema declares the content argument (so
 * `[/jobs][jobs/]` passes `{}`, while an empty `write` passes `content: ''`).
 */
export function toolArguments(
  call: Pick<CallEvent, 'name' | 'args' | 'content'>,
  schema: JsonSchema | undefined,
  options: Pick<ContentArgOptions, 'subAgent'> = {},
): Record<string, unknown> {
  const args = coerceArgs(call.args, schema);
  if (call.content === undefined) return args;
  const key = contentArgFor(call.name, schema, { ...options, body: call.content });
  const properties = schemaProperties(schema);
  if (Object.hasOwn(args, key)) return args;
  if (call.content === '' && !Object.hasOwn(properties, key)) return args;
  return { ...args, [key]: coerceValue(call.content, properties[key]) };
}
