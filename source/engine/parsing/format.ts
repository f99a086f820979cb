/**
 * One definition of a text tool-call syntax. `bracket` and `xml` are presets
 * of it, so a single state machine (`parser.ts`) and a single renderer
 * (`render.ts`) serve every format, custom ones included. Field names are
 * the snake_case keys of `controller.tool_format` in a creature config.
 */
import { ConfigError } from '../errors.js';
import { isNameChar, isSpace } from './chars.js';

export interface ToolCallFormat {
  /** One character that starts every tag (`[`, `<`). */
  readonly start_char: string;
  /** One character that ends every tag (`]`, `>`). */
  readonly end_char: string;
  /**
   * True: `[/name]` opens and `[name/]` closes (bracket).
   * False: `<name>` opens and `</name>` closes (xml).
   */
  readonly slash_means_open: boolean;
  /**
   * `line`: arguments are `@@key=value` lines at the top of the body.
   * `inline`: arguments are `key="value"` attributes inside the open tag,
   * and a call without a body may self-close (`<name key="v"/>`).
   */
  readonly arg_style: 'line' | 'inline';
  /** Starts an argument line (`line` style only). */
  readonly arg_prefix: string;
  /** Separates an argument's key from its value, in lines and in attributes. */
  readonly arg_kv_sep: string;
}

export const BRACKET_FORMAT: ToolCallFormat = Object.freeze({
  start_char: '[',
  end_char: ']',
  slash_means_open: true,
  arg_style: 'line',
  arg_prefix: '@@',
  arg_kv_sep: '=',
});

export const XML_FORMAT: ToolCallFormat = Object.freeze({
  start_char: '<',
  end_char: '>',
  slash_means_open: false,
  arg_style: 'inline',
  // Unused by inline arguments; empty like the original's preset.
  arg_prefix: '',
  arg_kv_sep: '=',
});

export type ToolFormatName = 'bracket' | 'xml';

const FIELDS = ['start_char', 'end_char', 'slash_means_open', 'arg_style', 'arg_prefix', 'arg_kv_sep'] as const;

/**
 * `controller.tool_format` (other than `native`) → a checked format. A
 * custom dict starts from the bracket preset, as in the original, so it only
 * names what differs. Throws `ConfigError` (key path `tool_format.<field>`)
 * for unknown keys, wrong types and delimiters that would be ambiguous.
 */
export function resolveToolFormat(value: ToolFormatName | Readonly<Record<string, unknown>>): ToolCallFormat {
  if (value === 'bracket') return BRACKET_FORMAT;
  if (value === 'xml') return XML_FORMAT;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`expected 'native', 'bracket', 'xml' or a mapping, got ${JSON.stringify(value)}`, { keyPath: ['tool_format'] });
  }
  const fail = (field: string, detail: string): never => {
    throw new ConfigError(detail, { keyPath: ['tool_format', field] });
  };
  for (const key of Object.keys(value)) {
    if (!(FIELDS as readonly string[]).includes(key)) fail(key, `unknown key; expected one of ${FIELDS.join(', ')}`);
  }
  const pick = <T>(field: (typeof FIELDS)[number], check: (v: unknown) => v is T, what: string): T => {
    const v = value[field] === undefined ? BRACKET_FORMAT[field] : value[field];
    return check(v) ? v : fail(field, `expected ${what}, got ${JSON.stringify(v)}`);
  };
  const isString = (v: unknown): v is string => typeof v === 'string';
  const format: ToolCallFormat = Object.freeze({
    start_char: pick('start_char', isString, 'a string'),
    end_char: pick('end_char', isString, 'a string'),
    slash_means_open: pick('slash_means_open', (v): v is boolean => typeof v === 'boolean', 'true or false'),
    arg_style: pick('arg_style', (v): v is 'line' | 'inline' => v === 'line' || v === 'inline', "'line' or 'inline'"),
    arg_prefix: pick('arg_prefix', isString, 'a string'),
    arg_kv_sep: pick('arg_kv_sep', isString, 'a string'),
  });
  const problem = formatProblem(format);
  if (problem) fail(problem.field, problem.detail);
  return format;
}

/**
 * Why a format would be ambiguous, or undefined when it is fine. Delimiters
 * must be single characters that can never be part of a name, whitespace,
 * `/` or a quote, so the parser can tell markers from names one character
 * at a time.
 */
export function formatProblem(format: ToolCallFormat): { field: string; detail: string } | undefined {
  const delimiter = (c: string): string | undefined => {
    if (c.length !== 1) return 'must be exactly one character (one UTF-16 unit)';
    if (isNameChar(c) || isSpace(c) || c === '/' || c === '"' || c === "'") return 'must not be a letter, digit, _, -, whitespace, / or a quote';
    return undefined;
  };
  for (const field of ['start_char', 'end_char'] as const) {
    const detail = delimiter(format[field]);
    if (detail) return { field, detail };
  }
  if (format.start_char === format.end_char) return { field: 'end_char', detail: 'must differ from start_char' };
  const sep = format.arg_kv_sep;
  if (sep.length === 0) return { field: 'arg_kv_sep', detail: 'must not be empty' };
  const first = sep[0] as string;
  if (isNameChar(first) || isSpace(first) || first === '"' || first === "'") {
    return { field: 'arg_kv_sep', detail: 'must not start with a letter, digit, _, -, whitespace or a quote' };
  }
  if (sep.includes('\n')) return { field: 'arg_kv_sep', detail: 'must not contain a newline' };
  if (format.arg_style === 'inline' && (sep.includes(format.end_char) || sep.includes('/'))) {
    return { field: 'arg_kv_sep', detail: 'must not contain end_char or / with inline arguments' };
  }
  if (format.arg_style === 'line' && format.arg_prefix.length === 0) return { field: 'arg_prefix', detail: 'must not be empty with line arguments' };
  if (format.arg_prefix.includes('\n')) return { field: 'arg_prefix', detail: 'must not contain a newline' };
  return undefined;
}

/** The tag that opens a block for `name`, without attributes: `[/name]` or `<name>`. */
export function openTag(format: ToolCallFormat, name: string): string {
  const slash = format.slash_means_open ? '/' : '';
  return `${format.start_char}${slash}${name}${format.end_char}`;
}

/** The one exact string that closes a block opened for `name`: `[name/]` or `</name>`. */
export function closeTag(format: ToolCallFormat, name: string): string {
  return format.slash_means_open ? `${format.start_char}${name}/${format.end_char}` : `${format.start_char}/${name}${format.end_char}`;
}
