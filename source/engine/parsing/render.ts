/**
 * The inverse of the parser: a call rendered as text in a format, for
 * history (a text-mode conversation shows the calls the model made) and for
 * prompt examples and tests.
 *
 * Round trip: parsing the result gives back the same name, the other
 * arguments as strings, and the content argument as the content — as long
 * as the text is representable: keys are names (`[A-Za-z_][A-Za-z0-9_-]*`),
 * line-style values have no newline, inline values do not contain both
 * quote characters, the content does not contain the close tag or end with
 * a lone `\r`, and (line style) the content's first line does not itself
 * look like an argument line.
 */
import { closeTag, openTag, type ToolCallFormat } from './format.js';

/** Strings as they are; anything else as JSON (`coerceArgs` turns it back by schema). */
function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Double quotes unless the value has some; a value with both kinds cannot be an attribute and keeps double quotes. */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : `"${value}"`;
}

/**
 * Render one call. `contentArg` names the argument that becomes the body
 * (see `contentArgFor`); without it, or when that argument is absent, the
 * call has no content (inline formats then self-close). Arguments whose
 * value is `undefined` are left out.
 *
 * Bracket:  `[/bash]\n@@timeout=30\nls -la\n[bash/]`
 * XML:      `<bash timeout="30">\nls -la\n</bash>`, or `<read path="a.ts"/>`
 */
export function formatCall(format: ToolCallFormat, name: string, args: Readonly<Record<string, unknown>>, contentArg?: string): string {
  const raw = contentArg === undefined ? undefined : args[contentArg];
  const others = Object.entries(args).filter(([key, value]) => key !== contentArg && value !== undefined);
  return renderCall(
    format,
    name,
    others.map(([key, value]): [string, string] => [key, valueText(value)]),
    raw === undefined ? undefined : valueText(raw),
  );
}

/** The rendering itself, from string arguments in order and an optional content. */
export function renderCall(format: ToolCallFormat, name: string, args: ReadonlyArray<readonly [string, string]>, content: string | undefined): string {
  const body = content === undefined ? '' : `${content}\n`;
  if (format.arg_style === 'line') {
    const lines = args.map(([key, value]) => `${format.arg_prefix}${key}${format.arg_kv_sep}${value}\n`).join('');
    return `${openTag(format, name)}\n${lines}${body}${closeTag(format, name)}`;
  }
  const attrs = args.map(([key, value]) => ` ${key}${format.arg_kv_sep}${quoted(value)}`).join('');
  const head = `${format.start_char}${format.slash_means_open ? '/' : ''}${name}${attrs}`;
  if (content === undefined) return `${head}/${format.end_char}`;
  return `${head}${format.end_char}\n${body}${closeTag(format, name)}`;
}
