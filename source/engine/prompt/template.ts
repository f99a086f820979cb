/**
 * Prompts are Jinja templates (the original's prompts are written that
 * way), rendered with nunjucks: `{{ var }}`, `{% if %}`, `{% for %}` and
 * `{% include "fragment" %}`. Undefined variables render as nothing.
 *
 * Most prompts are plain Markdown, so a text without a template marker is
 * returned as it is and nunjucks is never loaded: it is imported lazily,
 * the first time a prompt needs it.
 *
 * Each prompt file is rendered as a template of its own, so an error names
 * the file and the line it is on, never an offset into the joined chain.
 */
import type { ILoader, LoaderSource } from 'nunjucks';
import { ConfigError, type ConfigLocation } from '../errors.js';

/** One piece of a creature's base prompt, as written. */
export interface PromptSource {
  text: string;
  /** The prompt file, or the config file holding an inline `system_prompt`. */
  file: string;
  /** For inline prompts: the key holding the text and that key's line. */
  keyPath?: ReadonlyArray<string | number>;
  line?: number;
}

/** A fragment `{% include %}` can name. */
export interface PromptFragment {
  file: string;
  text: string;
}

export type FragmentLookup = (name: string) => PromptFragment | undefined;

/** More loads than any real prompt needs; past it, an include is almost surely including itself. */
const MAX_LOADS = 200;

/** True when the text has something for the template engine to do. */
export function hasTemplateMarkers(text: string): boolean {
  return /\{[{%#]/.test(text);
}

type Nunjucks = typeof import('nunjucks');
let loading: Promise<Nunjucks> | undefined;

function nunjucks(): Promise<Nunjucks> {
  // A CommonJS module: its exports arrive as the default export.
  loading ??= import('nunjucks').then((m) => ((m as { default?: Nunjucks }).default ?? m) as Nunjucks);
  return loading;
}

/** Render one prompt source; plain text comes back unchanged without loading nunjucks. */
export async function renderPrompt(source: PromptSource, variables: Readonly<Record<string, unknown>>, fragments: FragmentLookup): Promise<string> {
  if (!hasTemplateMarkers(source.text)) return source.text;
  const { Environment, Template } = await nunjucks();
  // Template name → what it is, for mapping an error back to where it was written.
  const seen = new Map<string, { text: string; source?: PromptSource }>();
  const main = source.keyPath ? `${source.file} (${source.keyPath.join('.')})` : source.file;
  seen.set(main, { text: source.text, source });
  let loads = 0;
  const loader: ILoader = {
    getSource(name: string): LoaderSource {
      if (++loads > MAX_LOADS) throw new Error(`more than ${MAX_LOADS} includes; does a fragment include itself?`);
      const found = fragments(name);
      // nunjucks turns a null source into "template not found: <name>".
      if (!found) return null as unknown as LoaderSource;
      // Like Jinja, a template's last newline is not part of it, so an include does not add a line break.
      const text = found.text.replace(/\r?\n$/, '');
      seen.set(found.file, { text });
      return { src: text, path: found.file, noCache: true };
    },
  };
  const env = new Environment([loader], { autoescape: false, throwOnUndefined: false });
  const template = new Template(source.text, env, main);
  try {
    // The callback form: with it, errors inside included templates come back here instead of being thrown later.
    return await new Promise<string>((resolve, reject) => template.render({ ...variables }, (error, out) => (error ? reject(error) : resolve(out ?? ''))));
  } catch (error) {
    throw templateError(error, main, seen);
  }
}

/**
 * nunjucks nests its messages: `(outer)\n  Template render error: (inner)
 * [Line N, Column M]\n  reason`. The innermost template named is where the
 * problem is; when nunjucks gives no line (a missing include, an unclosed
 * block), it is found from that template's text.
 */
function templateError(error: unknown, main: string, seen: Map<string, { text: string; source?: PromptSource }>): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  const frames = [...message.matchAll(/\((.+?)\)(?: \[Line (\d+), Column (\d+)\])?\n/g)];
  const inner = frames.at(-1);
  const name = inner?.[1] !== undefined && seen.has(inner[1]) ? inner[1] : main;
  const entry = seen.get(name) as { text: string; source?: PromptSource };
  const reason = (message.split('\n').at(-1) ?? message).trim().replace(/^(Error|Template render error): /, '');
  let line = inner?.[2] !== undefined ? Number(inner[2]) : undefined;
  const missing = /template not found: (.+)$/.exec(reason)?.[1];
  if (line === undefined && missing !== undefined) line = lineOfInclude(entry.text, missing);
  if (line === undefined && /end of file/.test(reason)) line = entry.text.split('\n').length;
  const detail = missing !== undefined ? `prompt template: no prompt fragment named '${missing}' (looked in the creature's prompts/ folders and the packages' prompts)` : `prompt template: ${reason}`;
  const inline = entry.source?.keyPath;
  if (inline) {
    // Inline text: name the key and the line inside its value.
    const location: ConfigLocation = { file: entry.source?.file as string, keyPath: inline, ...(entry.source?.line ? { line: entry.source.line } : {}) };
    return new ConfigError(line ? `${detail} (line ${line} of the value)` : detail, location);
  }
  return new ConfigError(detail, { file: entry.source?.file ?? name, ...(line ? { line } : {}) });
}

/** The line of the first tag that loads `name`, if the text has one. */
function lineOfInclude(text: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`\\{%-?\\s*(?:include|import|from|extends)\\s+(["'])${escaped}\\1`).exec(text)?.index;
  return at === undefined ? undefined : text.slice(0, at).split('\n').length;
}
