/**
 * YAML parses worked out ahead of time, looked up by the exact text parsed.
 * The build parses the bundled creature pack (its config files, manifest and
 * skill frontmatter) and the builtins hand the results over at start, so
 * loading a bundled creature runs no YAML parser: about 20 ms of a cold
 * start, most of it the parser's code warming up. Any other text (a user's
 * file, or a pack file edited after the build) misses and is parsed as usual.
 *
 * Values are kept as JSON text: each hit gets a fresh copy its caller may
 * change, and the table costs nothing until it is used.
 *
 * The same table holds validations worked out ahead of time, looked up by the
 * JSON text of the value validated: the pack's creature configs and manifest,
 * each valid and without warnings, so building a bundled creature runs no
 * zod validation either (the first `Agent.build` compiled and ran zod's
 * parser for it, a third of that build).
 */

/** `kind` → text → JSON of what that kind of reader made of it. */
export type KnownYamlTable = Record<string, Record<string, string>>;

const known = new Map<string, Map<string, string>>();

export function rememberYamlParses(table: KnownYamlTable): void {
  for (const [kind, entries] of Object.entries(table)) {
    const map = known.get(kind) ?? new Map<string, string>();
    for (const [text, json] of Object.entries(entries)) map.set(text, json);
    known.set(kind, map);
  }
}

/** What a reader of `kind` made of exactly this text at build time, or undefined. */
export function knownYamlParse<T>(kind: string, text: string): T | undefined {
  const json = known.get(kind)?.get(text);
  return json === undefined ? undefined : (JSON.parse(json) as T);
}

/**
 * What a validator of `kind` made of a value equal to this one at build time
 * (a value that was valid there, with no warning), or undefined. Validation
 * is a function of the value alone, so an equal value gets the same result.
 */
export function knownValidation<T>(kind: string, value: unknown): T | undefined {
  const table = known.get(kind);
  return table === undefined ? undefined : knownYamlParse<T>(kind, JSON.stringify(value));
}
