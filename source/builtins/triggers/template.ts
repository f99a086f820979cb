/**
 * Prompt templates of triggers: `{name}` placeholders filled from the fire
 * (`{content}`, `{sender}`, `{body}`, `{files}`, ...). Unknown placeholders
 * stay as written, so a prompt that talks about `{braces}` is not mangled.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? (values[key] as string) : whole));
}
